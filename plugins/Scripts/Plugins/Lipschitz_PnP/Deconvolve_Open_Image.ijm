// Lipschitz PnP, ImageJ macro example: deconvolve the active image (2D or z-stack, calibrated in
// microns) with a PSF generated from the optics, then every TIFF of a folder in batch mode.
// In plain ImageJ 1.x these are the bridge commands' keys (what the recorder writes); in Fiji,
// record the command once to see its keys (the SciJava field names).

options = "psf=<none> generate=[Born & Wolf] na=1.4 wavelength=520 refractive=1.518 "
        + "method=[Richardson-Lucy] iterations=20 boundary=REFLECTIVE";
// With a model: method=[PnP-ADMM] model=[from file...] model_file=/path/to/model.lpnp.zip

if (nImages > 0) {
    run("Deconvolve (Lipschitz PnP)", options);
}

dir = getDirectory("Choose a folder of TIFFs (or Cancel)");
if (dir != "") {
    out = dir + "deconvolved" + File.separator;
    File.makeDirectory(out);
    setBatchMode(true);
    list = getFileList(dir);
    for (i = 0; i < list.length; i++) {
        if (endsWith(list[i], ".tif")) {
            open(dir + list[i]);
            run("Deconvolve (Lipschitz PnP)", options);
            target = out + getTitle() + ".tif";
            if (!File.exists(target)) saveAs("Tiff", target);
            close("*");
        }
    }
    setBatchMode(false);
}
