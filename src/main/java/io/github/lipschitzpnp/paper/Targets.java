package io.github.lipschitzpnp.paper;

/** The 1-Lipschitz target functions of the approximation experiments. */
public final class Targets {

    private Targets() {
    }

    /** A scalar function on a box. */
    public interface Target {
        String name();

        int dimension();

        /** Lower corner of the box (same in every coordinate). */
        double low();

        double high();

        double value(double[] x);
    }

    /**
     * A wiggly 1-Lipschitz function on [-2, 2]: {@code 0.6 sin(3x)/3 + 0.4 sin(9x)/9}, whose
     * derivative {@code 0.6 cos(3x) + 0.4 cos(9x)} reaches 1 at x = 0.
     */
    public static final Target WIGGLY_1D = new Target() {
        @Override
        public String name() {
            return "wiggly 1D: 0.6 sin(3x)/3 + 0.4 sin(9x)/9";
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public double low() {
            return -2;
        }

        @Override
        public double high() {
            return 2;
        }

        @Override
        public double value(double[] x) {
            return 0.6 * Math.sin(3 * x[0]) / 3 + 0.4 * Math.sin(9 * x[0]) / 9;
        }
    };

    /**
     * The distance to the non-convex L-shaped set {@code [-1,0]x[-1,1] U [-1,1]x[-1,0]} on
     * {@code [-1.5, 1.5]^2}: 1-Lipschitz, zero on the set, with a ridge along the reflex corner.
     */
    public static final Target DISTANCE_TO_L_2D = new Target() {
        @Override
        public String name() {
            return "distance to an L-shaped set in 2D";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public double low() {
            return -1.5;
        }

        @Override
        public double high() {
            return 1.5;
        }

        @Override
        public double value(double[] p) {
            return Math.min(boxDistance(p[0], p[1], -0.5, 0, 0.5, 1), boxDistance(p[0], p[1], 0, -0.5, 1, 0.5));
        }
    };

    /** Distance from (x, y) to the box with centre (cx, cy) and half-sides (hx, hy). */
    static double boxDistance(double x, double y, double cx, double cy, double hx, double hy) {
        double dx = Math.max(Math.abs(x - cx) - hx, 0);
        double dy = Math.max(Math.abs(y - cy) - hy, 0);
        return Math.hypot(dx, dy);
    }
}
