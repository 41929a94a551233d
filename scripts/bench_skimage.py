#!/usr/bin/python3
"""scikit-image reference for `lpnp bench`: FBP (iradon) and SART (iradon_sart) timings.

For each image side N: a phantom (disc plus off-centre square), its sinogram with N detectors and
A angles evenly over [0, 180) (radon, circle=True; not timed), then
  fbp_s     median time of iradon(sino, theta, filter_name="ramp", interpolation="linear", circle=True)
  sart_s    median time of one SART sweep, iradon_sart(sino, theta, image=previous) (one pass
            over all angles, each angle updating the image in turn); sart_sweeps sweeps are run
            one after the other from zero and each is timed.
scikit-image's SART sweep and our SIRT iteration are different algorithms with the same cost
structure (one projection and one back-projection of every angle per iteration).

Run: /usr/bin/python3 scripts/bench_skimage.py --sides 256 --angles 180 --sart-sweeps 5
Prints one JSON object on the last line of stdout.
"""
import argparse
import json
import statistics
import time

import numpy as np
import skimage
from skimage.transform import iradon, iradon_sart, radon


def phantom(n):
    yy, xx = np.mgrid[:n, :n]
    c = (n - 1) / 2.0
    img = ((xx - c) ** 2 + (yy - c) ** 2 <= (0.35 * n) ** 2).astype(np.float64) * 0.5
    img[n // 4:n // 4 + n // 8, n // 2:n // 2 + n // 6] += 1.0
    return img


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sides", type=int, nargs="+", default=[256])
    ap.add_argument("--angles", type=int, default=180)
    ap.add_argument("--fbp-reps", type=int, default=3)
    ap.add_argument("--sart-sweeps", type=int, default=5)
    a = ap.parse_args()
    out = {"engine": "scikit-image " + skimage.__version__ + ", numpy " + np.__version__, "results": []}
    for n in a.sides:
        theta = np.linspace(0.0, 180.0, a.angles, endpoint=False)
        sino = radon(phantom(n), theta=theta, circle=True)
        iradon(sino, theta=theta, filter_name="ramp", interpolation="linear", circle=True)  # warm-up
        fbp = []
        for _ in range(a.fbp_reps):
            t0 = time.perf_counter()
            iradon(sino, theta=theta, filter_name="ramp", interpolation="linear", circle=True)
            fbp.append(time.perf_counter() - t0)
        sart = []
        img = None
        for _ in range(a.sart_sweeps):
            t0 = time.perf_counter()
            img = iradon_sart(sino, theta=theta, image=img)
            sart.append(time.perf_counter() - t0)
        out["results"].append({"side": n, "angles": a.angles, "detectors": int(sino.shape[0]),
                               "fbp_s": statistics.median(fbp), "fbp_samples_s": fbp,
                               "sart_s": statistics.median(sart), "sart_samples_s": sart})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
