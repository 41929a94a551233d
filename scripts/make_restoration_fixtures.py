#!/usr/bin/python3
"""Reference values from scikit-image (0.19) for the Java Richardson-Lucy and TV tests.

Writes src/test/resources/fixtures/skimage_restoration/*.txt: plain text, one value per line, flat
with x (column) fastest, so the Java test reads them without numpy.

Richardson-Lucy: skimage.restoration.richardson_lucy(data, psf, num_iter, clip=False) in float64.
It convolves with scipy.signal.convolve(mode='same'), i.e. zero boundary, and starts from 0.5
everywhere; it does not divide by A^T 1. Our RichardsonLucy divides by A^T 1, which differs from 1
only within the PSF radius r of the border for a zero boundary. The data here is zero in a margin
of more than 2r pixels, so A^T(y / A x) is zero within r of the border in both codes and the two
iterations are the same map: the test compares every pixel. The PSF is asymmetric (checks the
orientation and the flip of the adjoint).

TV: skimage.restoration.denoise_tv_chambolle(noisy, weight) runs Chambolle's (2004) projection
algorithm whose fixed point is argmin_u 1/2 ||u - f||^2 + weight * TV(u), isotropic TV with
forward differences and Neumann boundary (np.diff, the last difference is 0), the same TV as our
TvPdhg. Run to convergence (eps=1e-12, 20000 and 40000 iterations; the change between the two
is written to README.txt as skimage's own convergence error).

Run from the repository root:  /usr/bin/python3 scripts/make_restoration_fixtures.py
"""
import os

import numpy as np
import skimage
from skimage.restoration import denoise_tv_chambolle, richardson_lucy
from scipy.signal import convolve

OUT = os.path.join("src", "test", "resources", "fixtures", "skimage_restoration")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)


def save(name, arr):
    np.savetxt(os.path.join(OUT, name), np.asarray(arr, dtype=np.float64).ravel(), fmt="%.12e")


# --- Richardson-Lucy: 30 x 26 (rows x columns), asymmetric 5x5 PSF, zero margin of 5 pixels
H, W, R, MARGIN, RL_ITER = 30, 26, 2, 5, 15
psf = rng.random((2 * R + 1, 2 * R + 1)) + 0.1
psf[0, :] *= 0.2          # asymmetric: weak top row, strong right column
psf[:, -1] *= 3.0
psf /= psf.sum()
truth = np.zeros((H, W))
yy, xx = np.mgrid[:H, :W]
inner = (yy >= MARGIN + R) & (yy < H - MARGIN - R) & (xx >= MARGIN + R) & (xx < W - MARGIN - R)
truth[inner] = 0.2 + 0.6 * rng.random(inner.sum())
data = convolve(truth, psf, mode="same")
data[data < 0] = 0
data[:MARGIN, :] = 0
data[-MARGIN:, :] = 0
data[:, :MARGIN] = 0
data[:, -MARGIN:] = 0
rl = richardson_lucy(data, psf, num_iter=RL_ITER, clip=False)
save("rl_data.txt", data)
save("rl_psf.txt", psf)
save("rl_result.txt", rl)

# --- TV denoising (Chambolle) to convergence: 24 x 20, piecewise constant plus noise
TH, TW, WEIGHT = 24, 20, 0.1
clean = np.zeros((TH, TW))
clean[4:16, 3:12] = 1.0
clean[10:20, 9:17] += 0.5
noisy = clean + 0.15 * rng.standard_normal((TH, TW))
tv_a = denoise_tv_chambolle(noisy, weight=WEIGHT, eps=1e-12, max_num_iter=20000)
tv_b = denoise_tv_chambolle(noisy, weight=WEIGHT, eps=1e-12, max_num_iter=40000)
save("tv_noisy.txt", noisy)
save("tv_result.txt", tv_b)


def tv(u):
    gy = np.zeros_like(u)
    gx = np.zeros_like(u)
    gy[:-1, :] = np.diff(u, axis=0)
    gx[:, :-1] = np.diff(u, axis=1)
    return np.sqrt(gx ** 2 + gy ** 2).sum()


objective = 0.5 * ((tv_b - noisy) ** 2).sum() + WEIGHT * tv(tv_b)
with open(os.path.join(OUT, "README.txt"), "w") as f:
    f.write("Made by scripts/make_restoration_fixtures.py with scikit-image %s, numpy %s.\n"
            "rl_*: %d x %d (x fastest), PSF %d x %d (asymmetric, sum 1), richardson_lucy num_iter=%d clip=False,\n"
            "      data zero in a %d-pixel margin; float64.\n"
            "tv_*: %d x %d, denoise_tv_chambolle weight=%g eps=1e-12 max_num_iter=40000;\n"
            "      max |u(20000) - u(40000)| = %.3e; objective 1/2||u-f||^2 + weight TV(u) = %.10f\n"
            % (skimage.__version__, np.__version__, W, H, 2 * R + 1, 2 * R + 1, RL_ITER, MARGIN, TW, TH, WEIGHT,
               np.abs(tv_a - tv_b).max(), objective))
print(open(os.path.join(OUT, "README.txt")).read())
