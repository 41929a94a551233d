package io.github.lipschitzpnp.solve;

/** The rule by which solvers decide whether a denoiser counts as certified non-expansive. */
public final class Certificates {

    /** A denoiser whose certified bound is at most 1 + this counts as non-expansive. */
    public static final double TOLERANCE = 1e-3;

    private Certificates() {
    }

    /** True when the denoiser carries a certified Lipschitz bound <= 1 + {@link #TOLERANCE}. */
    public static boolean isNonExpansive(Denoiser d) {
        double b = d.lipschitzBound();
        return !Double.isNaN(b) && b <= 1 + TOLERANCE;
    }

    /** "certified Lipschitz bound 0.98" or "no certified Lipschitz bound". */
    static String describeBound(Denoiser d) {
        double b = d.lipschitzBound();
        return Double.isNaN(b) ? "no certified Lipschitz bound" : "certified Lipschitz bound " + fmt(b);
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
