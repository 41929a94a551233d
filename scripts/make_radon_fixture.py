#!/usr/bin/python3
"""Reference values from scikit-image (0.19) for the Java Radon/FBP tests.

Writes src/test/resources/fixtures/skimage_radon_33/*.txt: plain text, one value per line,
flat with x (detector bin or column) fastest, so the Java test can read them without numpy.

Run from the repository root:  /usr/bin/python3 scripts/make_radon_fixture.py
"""
import os

import numpy as np
import skimage
from skimage.transform import radon, iradon

N = 33                    # odd, so scikit-image's centre (N // 2) equals ours ((N - 1) / 2)
ANGLES = np.linspace(0.0, 180.0, 45, endpoint=False)
OUT = os.path.join("src", "test", "resources", "fixtures", "skimage_radon_33")

# phantom: a disc plus an off-centre bright square (breaks the symmetries, so orientation shows)
yy, xx = np.mgrid[:N, :N]
c = (N - 1) / 2.0
img = ((xx - c) ** 2 + (yy - c) ** 2 <= 11.0 ** 2).astype(np.float64) * 0.5
img[8:13, 18:24] += 1.0   # rows 8..12 (y near the top), columns 18..23

sino = radon(img, theta=ANGLES, circle=True)          # shape (detectors, angles)
rec = {
    "ramp": iradon(sino, theta=ANGLES, filter_name="ramp", interpolation="linear", circle=True),
    "shepp-logan": iradon(sino, theta=ANGLES, filter_name="shepp-logan", interpolation="linear", circle=True),
}

os.makedirs(OUT, exist_ok=True)


def save(name, arr):
    np.savetxt(os.path.join(OUT, name), np.asarray(arr, dtype=np.float64).ravel(), fmt="%.9e")


save("phantom.txt", img)                 # rows = y, x fastest
save("angles.txt", ANGLES)
save("sinogram.txt", sino.T)             # rows = angles, detector bin fastest: our {D, angles} layout
save("iradon_ramp.txt", rec["ramp"])
save("iradon_shepp_logan.txt", rec["shepp-logan"])
with open(os.path.join(OUT, "README.txt"), "w") as f:
    f.write("Made by scripts/make_radon_fixture.py with scikit-image %s, numpy %s.\n"
            "N=%d, %d angles evenly over [0,180), circle=True, linear interpolation.\n"
            % (skimage.__version__, np.__version__, N, len(ANGLES)))
print("wrote", OUT)
