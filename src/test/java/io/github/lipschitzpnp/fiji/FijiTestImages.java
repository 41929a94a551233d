package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import io.github.lipschitzpnp.image.ImageFiles;
import java.nio.file.Path;

/** Small crops of the real sample images, as ImageJ images. */
final class FijiTestImages {

    static final Path EVAL = Path.of("sample-images", "eval");

    private FijiTestImages() {
    }

    /** A crop of the quantitative-phase cell image, converted to the given bit depth (8, 16, 32). */
    static ImagePlus cell(int size, int bitDepth) {
        ImagePlus imp = ImageFiles.openImagePlus(EVAL.resolve("cell_qpi_512.tif"));
        imp.setRoi(200, 200, size, size);
        ImagePlus crop = imp.crop();
        crop.setTitle("cell.tif");
        ImageProcessor ip = crop.getProcessor();
        ip.resetMinAndMax();
        if (bitDepth == 8) {
            crop.setProcessor(ip.convertToByte(true));
        } else if (bitDepth == 16) {
            crop.setProcessor(ip.convertToShort(true));
        } else {
            crop.setProcessor(ip.convertToFloat());
        }
        Calibration cal = new Calibration();
        cal.pixelWidth = 0.1;
        cal.pixelHeight = 0.1;
        cal.pixelDepth = 0.2;
        cal.setUnit("micron");
        crop.setCalibration(cal);
        crop.setProperty("Info", "sample cell crop");
        return crop;
    }

    /** A z-stack crop (depth planes of size x size) of the CT angiography volume, 16-bit or 32-bit as stored. */
    static ImagePlus stack(int size, int depth) {
        ImagePlus imp = ImageFiles.openImagePlus(EVAL.resolve("ct_stent_stack_64x128x128.tif"));
        ImageStack in = imp.getStack();
        ImageStack out = new ImageStack(size, size);
        for (int z = 0; z < depth; z++) {
            ImageProcessor ip = in.getProcessor(1 + z * (in.getSize() / depth));
            ip.setRoi(32, 32, size, size);
            out.addSlice("plane " + z, ip.crop());
        }
        ImagePlus s = new ImagePlus("stack.tif", out);
        s.setDimensions(1, depth, 1);
        Calibration cal = new Calibration();
        cal.pixelWidth = 0.1;
        cal.pixelHeight = 0.1;
        cal.pixelDepth = 0.3;
        cal.setUnit("micron");
        s.setCalibration(cal);
        return s;
    }

    /** A snapshot of every pixel of every plane, to check that an image was not modified. */
    static float[][] pixels(ImagePlus imp) {
        ImageStack st = imp.getStack();
        float[][] out = new float[st.getSize()][];
        for (int i = 1; i <= st.getSize(); i++) {
            out[i - 1] = (float[]) st.getProcessor(i).convertToFloat().getPixels();
        }
        return out;
    }
}
