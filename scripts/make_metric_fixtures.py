#!/usr/bin/python3
"""Reference PSNR/SSIM values from scikit-image for MetricsTest.

Writes, for each case NAME, into src/test/resources/fixtures/metrics/:
  NAME.ref.f32, NAME.test.f32  raw little-endian float32, x fastest (numpy C order of (z,) y, x)
  NAME.txt                     'dims' (x y [z]), 'data_range', 'psnr', 'ssim' lines
SSIM is structural_similarity(..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
data_range=R), i.e. K1=0.01, K2=0.03, Gaussian window truncated at 3.5 sigma.
Run: /usr/bin/python3 scripts/make_metric_fixtures.py  (scikit-image 0.19.3 was used)
"""
import os
import numpy as np
import skimage
from scipy import ndimage
from skimage.metrics import structural_similarity, peak_signal_noise_ratio

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "fixtures", "metrics")


def case(name, ref, test, data_range):
    ref = ref.astype(np.float32)
    test = test.astype(np.float32)
    # skimage computes in float32 for float32 input; give it the same (float32-representable) values in
    # float64, as the Java code accumulates in double
    r64 = ref.astype(np.float64)
    t64 = test.astype(np.float64)
    psnr = peak_signal_noise_ratio(r64, t64, data_range=data_range)
    ssim = structural_similarity(r64, t64, data_range=data_range, gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False)
    ref.astype("<f4").tofile(os.path.join(OUT, name + ".ref.f32"))
    test.astype("<f4").tofile(os.path.join(OUT, name + ".test.f32"))
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write("# made by scripts/make_metric_fixtures.py with scikit-image %s\n" % skimage.__version__)
        f.write("dims %s\n" % " ".join(str(d) for d in ref.shape[::-1]))
        f.write("data_range %r\n" % float(data_range))
        f.write("psnr %r\n" % float(psnr))
        f.write("ssim %r\n" % float(ssim))
    print(name, ref.shape, psnr, ssim)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261130)
    # 2D square: smooth image in [0, 1] and a noisy, slightly blurred version
    ref = ndimage.gaussian_filter(rng.random((32, 32)), 2)
    ref = (ref - ref.min()) / (ref.max() - ref.min())
    test = ndimage.gaussian_filter(ref, 0.8) + 0.05 * rng.standard_normal(ref.shape)
    case("smooth32", ref, test, 1.0)
    # 2D non-square (40 rows, 48 columns) with an offset and range 2: tests axis order and C1/C2
    yy, xx = np.mgrid[0:40, 0:48]
    ref = np.sin(xx / 5.0) + 0.5 * np.cos(yy / 3.0) + (xx > 24)
    test = 0.9 * ref + 0.1 + 0.2 * rng.standard_normal(ref.shape)
    case("offset40x48", ref, test, 2.0)
    # 3D (12 slices of 16 x 14): the Gaussian window runs along z too
    ref = ndimage.gaussian_filter(rng.random((12, 14, 16)), 1.5)
    test = ref + 0.02 * rng.standard_normal(ref.shape)
    case("volume16x14x12", ref, test, float(ref.max() - ref.min()))


if __name__ == "__main__":
    main()
