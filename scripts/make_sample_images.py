#!/usr/bin/python3
"""Rebuild sample-images/ (train/ and eval/) from real images shipped in Debian packages.

Run with Debian's Python (it needs numpy, scikit-image and tifffile, i.e. the
`python3-skimage` package installed):

    # 1. fetch the data packages WITHOUT installing them (Debian 12 "bookworm" versions used):
    mkdir -p /tmp/samplepkgs && cd /tmp/samplepkgs
    apt-get update
    apt-get download python3-skimage python3-imageio python3-pydicom \
                     python-matplotlib-data python3-scipy python-drizzle-testdata
    #   python3-skimage_0.19.3-8  python3-imageio_2.4.1-5  python3-pydicom_2.3.1-1
    #   python-matplotlib-data_3.6.3-1  python3-scipy_1.10.1-2  python-drizzle-testdata_1.13.4-1
    for f in *.deb; do dpkg-deb -x "$f" ext; done

    # 2. build the folder (from the repository root):
    /usr/bin/python3 scripts/make_sample_images.py --pkgroot /tmp/samplepkgs/ext --out sample-images

What it does (details and licences per file: sample-images/README.md):
  * reads only pixel data; no DICOM/FITS metadata (patient or observer fields) is copied;
  * 8-bit originals stay 8-bit (PNG, or TIFF where a spatial calibration is worth keeping);
    colour photographs become 8-bit grey (skimage.color.rgb2gray, rounded);
  * CT becomes 32-bit float in attenuation-like units (documented per file);
  * the MRI slice stays 16-bit; the Hubble frame stays 32-bit float (electrons);
  * train/ and eval/ never share an image, and the stent volume's training slices lie
    >= 16 slices away from the evaluation stack;
  * writes sample-images/SHA256SUMS.
No external program or network access is used; DICOM is read with the unpacked pydicom,
FITS with the small reader below, ascent.dat with a pickle reader that refuses any object
other than lists and numbers.
"""
import argparse
import gzip
import hashlib
import io
import os
import pickle
import sys

import numpy as np
import tifffile
from skimage import color, io as skio, transform

DP = "usr/lib/python3/dist-packages"
SKD = DP + "/skimage/data"

# Evaluation 3D stack of the stent volume (axis 0 = z): slices [Z0, Z1).
STACK_Z0, STACK_Z1 = 96, 160
# Training slices of the same volume: at least 16 slices away from the stack.
STENT_TRAIN_Z = (16, 48, 80, 176, 208, 240)


# ---------------------------------------------------------------------------- readers
def read_fits(path):
    """Minimal FITS reader: list of (header dict, numpy array or None) per HDU."""
    with open(path, "rb") as f:
        buf = f.read()
    hdus, pos = [], 0
    while pos + 2880 <= len(buf):
        hdr, done = {}, False
        while not done:
            block = buf[pos:pos + 2880]
            pos += 2880
            for i in range(36):
                card = block[i * 80:(i + 1) * 80].decode("ascii")
                key = card[:8].strip()
                if key == "END":
                    done = True
                    break
                if card[8:10] == "= ":
                    val = card[10:].strip()
                    val = val.split("'")[1].strip() if val.startswith("'") else val.split("/")[0].strip()
                    hdr[key] = val
        bitpix, naxis = int(hdr["BITPIX"]), int(hdr["NAXIS"])
        shape = [int(hdr["NAXIS%d" % k]) for k in range(naxis, 0, -1)]
        n = int(np.prod(shape)) if naxis else 0
        nbytes = n * abs(bitpix) // 8
        dt = {8: ">u1", 16: ">i2", 32: ">i4", -32: ">f4", -64: ">f8"}[bitpix]
        data = np.frombuffer(buf[pos:pos + nbytes], dt).reshape(shape) if n else None
        pos += -(-nbytes // 2880) * 2880
        hdus.append((hdr, data))
    return hdus


class _ListsOnly(pickle.Unpickler):
    def find_class(self, module, name):  # no classes or functions may be loaded
        raise pickle.UnpicklingError("refusing %s.%s" % (module, name))


def read_ascent(path):
    with open(path, "rb") as f:
        return np.array(_ListsOnly(f).load(), dtype=np.uint8)


def read_dicom_hu(pkgroot, rel):
    sys.path.append(os.path.join(pkgroot, DP))  # the unpacked pydicom, appended: system modules win
    import pydicom
    ds = pydicom.dcmread(os.path.join(pkgroot, rel))
    hu = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    return hu, float(ds.PixelSpacing[0])


# ---------------------------------------------------------------------------- writers
def gray8(rgb):
    g = color.rgb2gray(rgb[..., :3])
    return np.clip(np.round(g * 255.0), 0, 255).astype(np.uint8)


def save_png8(path, a):
    assert a.dtype == np.uint8 and a.ndim == 2
    skio.imsave(path, a, check_contrast=False)


def save_tif(path, a, pixel=None, unit=None, zstep=None):
    """ImageJ-flavoured TIFF (uncompressed) that ij.jar 1.x opens; optional calibration."""
    kw = {}
    md = {}
    if pixel is not None:
        kw["resolution"] = (1.0 / pixel, 1.0 / pixel)
        md["unit"] = unit
        if zstep is not None:
            md["spacing"] = zstep
    if a.ndim == 3:
        md["axes"] = "ZYX"
    tifffile.imwrite(path, a, imagej=True, metadata=md, **kw)


# ---------------------------------------------------------------------------- build
def build(pk, out):
    tr, ev = os.path.join(out, "train"), os.path.join(out, "eval")
    os.makedirs(tr, exist_ok=True)
    os.makedirs(ev, exist_ok=True)
    sk = lambda name: skio.imread(os.path.join(pk, SKD, name))

    # ---------------- eval: natural / microscopy (scikit-image)
    cam = sk("camera.png")
    assert cam.shape == (512, 512) and cam.dtype == np.uint8
    save_png8(os.path.join(ev, "camera_512.png"), cam)

    cell = sk("cell.png")                       # 660 x 550, quantitative phase, 0.107 um/px
    save_tif(os.path.join(ev, "cell_qpi_512.tif"), np.ascontiguousarray(cell[124:636, 38:550]),
             pixel=0.107, unit="micron")

    save_png8(os.path.join(ev, "clock_motion_blurred_300x400.png"), sk("clock_motion.png"))

    # ---------------- eval: CT slice (pydicom CT_small.dcm), mu/mu_water = 1 + HU/1000, >= 0
    hu, ps = read_dicom_hu(pk, DP + "/pydicom/data/test_files/CT_small.dcm")
    mu = np.clip(1.0 + hu / 1000.0, 0.0, None).astype(np.float32)
    save_tif(os.path.join(ev, "ct_small_mu_128.tif"), mu, pixel=ps, unit="mm")
    mu256 = transform.resize(mu.astype(np.float64), (256, 256), order=3, mode="edge",
                             anti_aliasing=False, preserve_range=True)
    save_tif(os.path.join(ev, "ct_small_mu_256.tif"), np.clip(mu256, 0, None).astype(np.float32),
             pixel=ps / 2.0, unit="mm")

    # ---------------- eval: stent CT angiography stack (imageio stent.npz)
    with np.load(os.path.join(pk, DP, "imageio/resources/images/stent.npz")) as z:
        vol = z["arr_0"]
    assert vol.shape == (256, 128, 128) and vol.dtype == np.int16
    stent = (vol.astype(np.float32) / 1000.0)   # HU clipped to [0, 2000] at source -> [0, 2]
    save_tif(os.path.join(ev, "ct_stent_stack_64x128x128.tif"),
             np.ascontiguousarray(stent[STACK_Z0:STACK_Z1]))

    # ---------------- eval: MRI slice (matplotlib s1045.ima.gz), raw big-endian uint16
    with gzip.open(os.path.join(pk, "usr/share/matplotlib/mpl-data/sample_data/s1045.ima.gz")) as f:
        mri = np.frombuffer(f.read(), ">u2").reshape(256, 256).astype(np.uint16)
    save_tif(os.path.join(ev, "mri_s1045_256.tif"), mri)

    # ---------------- eval: Hubble ACS/WFC frame of 47 Tuc (drizzle test data), real noise + PSF
    hdus = read_fits(os.path.join(pk, "usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits"))
    by = {h.get("EXTNAME"): d for h, d in hdus if d is not None}
    sl = (slice(256, 768), slice(256, 768))
    save_tif(os.path.join(ev, "hst_acs_47tuc_sci_512.tif"), by["SCI"][sl].astype(np.float32))
    save_tif(os.path.join(ev, "hst_acs_47tuc_err_512.tif"), by["ERR"][sl].astype(np.float32))

    # ---------------- train: natural / textured grey images
    for name in ("brick", "grass", "gravel", "coins", "text"):
        a = sk(name + ".png")
        assert a.ndim == 2 and a.dtype == np.uint8
        save_png8(os.path.join(tr, "%s_%dx%d.png" % (name, *a.shape)), a)
    for name, fn in (("astronaut", "astronaut.png"), ("chelsea", "chelsea.png"), ("coffee", "coffee.png")):
        a = gray8(sk(fn))
        save_png8(os.path.join(tr, "%s_gray_%dx%d.png" % (name, *a.shape)), a)
    ret = sk("retina.jpg")[..., 1].astype(np.float64)          # green channel, 1411^2
    ret = transform.resize(ret, (512, 512), order=1, anti_aliasing=True, preserve_range=True)
    save_png8(os.path.join(tr, "retina_green_512.png"), np.clip(np.round(ret), 0, 255).astype(np.uint8))
    save_png8(os.path.join(tr, "ascent_512.png"),
              read_ascent(os.path.join(pk, DP, "scipy/misc/ascent.dat")))

    # ---------------- train: CT slices from the stent volume, away from the eval stack
    for zz in STENT_TRAIN_Z:
        assert zz < STACK_Z0 - 15 or zz >= STACK_Z1 + 15
        save_tif(os.path.join(tr, "ct_stent_axial_z%03d_128.tif" % zz), np.ascontiguousarray(stent[zz]))

    # ---------------- checks and checksums
    names_tr = set(os.listdir(tr))
    names_ev = set(os.listdir(ev))
    assert not (names_tr & names_ev)
    lines = []
    for sub in ("eval", "train"):
        for n in sorted(os.listdir(os.path.join(out, sub))):
            p = os.path.join(out, sub, n)
            with open(p, "rb") as f:
                lines.append("%s  %s/%s\n" % (hashlib.sha256(f.read()).hexdigest(), sub, n))
    with open(os.path.join(out, "SHA256SUMS"), "w") as f:
        f.writelines(lines)
    total = sum(os.path.getsize(os.path.join(out, l.split()[1])) for l in lines)
    print("wrote %d files, %.2f MB" % (len(lines), total / 1e6))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pkgroot", default="/tmp/samplepkgs/ext",
                    help="folder where the .deb files were unpacked with dpkg-deb -x")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "sample-images"))
    a = ap.parse_args()
    build(a.pkgroot, a.out)


if __name__ == "__main__":
    main()
