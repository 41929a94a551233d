#!/usr/bin/python3
"""Reference Gaussian and median filter outputs from scikit-image / SciPy for BaselineDenoisersTest.

Writes into src/test/resources/fixtures/filters/ raw little-endian float32 arrays, x fastest
(numpy C order of (y, x)), 23 x 19 pixels:
  input.f32                    random values in [0, 1] (seed 7)
  gaussian_s1.3.f32            skimage.filters.gaussian(input, sigma=1.3, mode='nearest', truncate=4.0)
  median_r2_interior.f32       scipy.ndimage.median_filter(input, size=5) (only pixels at least 2 from
                               the edge are compared: SciPy reflects at the edges, MedianFilter clips
                               its window)
Run: /usr/bin/python3 scripts/make_filter_fixtures.py  (scikit-image 0.19.3, SciPy 1.10 were used)
"""
import os
import numpy as np
from scipy import ndimage
from skimage.filters import gaussian

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "fixtures", "filters")
os.makedirs(OUT, exist_ok=True)
x = np.random.default_rng(7).random((19, 23)).astype(np.float32)
x.astype("<f4").tofile(os.path.join(OUT, "input.f32"))
g = gaussian(x.astype(np.float64), sigma=1.3, mode="nearest", truncate=4.0, preserve_range=True)
g.astype("<f4").tofile(os.path.join(OUT, "gaussian_s1.3.f32"))
m = ndimage.median_filter(x, size=5)
m.astype("<f4").tofile(os.path.join(OUT, "median_r2_interior.f32"))
print("wrote", OUT)
