package io.github.lipschitzpnp.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.VirtualStack;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.lipschitzpnp.solve.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Reconstruct CT on a virtual stack (File > Import > TIFF Virtual Stack... in Fiji) reads each
 * sinogram plane a bounded number of times, never the whole volume per plane, and gives the same
 * slices as the same stack in memory.
 */
class VirtualStackCtTest {

    /** A virtual stack that serves float planes from arrays and counts every plane read. */
    static final class CountingStack extends VirtualStack {
        final float[][] planes;
        final int[] reads;

        CountingStack(int width, int height, float[][] planes) {
            super(width, height, planes.length);
            this.planes = planes;
            this.reads = new int[planes.length + 1];
        }

        @Override
        public ImageProcessor getProcessor(int n) {
            reads[n]++;
            return new FloatProcessor(getWidth(), getHeight(), planes[n - 1].clone());
        }

        @Override
        public Object getPixels(int n) {
            return getProcessor(n).getPixels();
        }

        @Override
        public int getBitDepth() {
            return 32;
        }

        int total() {
            return Arrays.stream(reads).sum();
        }
    }

    @Test
    void aVirtualSinogramStackIsReadPlaneByPlaneWithTheSameResult() throws Exception {
        ImagePlus sino = OtherCommandsTest.ctPair()[1];
        float[] base = (float[]) sino.getProcessor().getPixels();
        int w = sino.getWidth();
        int h = sino.getHeight();
        int depth = 12;
        float[][] planes = new float[depth][];
        ImageStack memory = new ImageStack(w, h);
        for (int z = 0; z < depth; z++) {
            planes[z] = new float[base.length];
            for (int i = 0; i < base.length; i++) {
                planes[z][i] = base[i] * (1 + 0.05f * z);
            }
            memory.addSlice(null, new FloatProcessor(w, h, planes[z].clone()));
        }
        ImagePlus inMemory = new ImagePlus("sino-memory", memory);
        for (Jobs.Solve solve : new Jobs.Solve[] {null, new Jobs.Solve(Method.PNP_ADMM, 2, 0, 0.01, 0, Models.AUTO,
                null, "cpu", null)}) {
            CountingStack counting = new CountingStack(w, h, planes);
            ImagePlus virtual = new ImagePlus("sino-virtual", counting);
            int before = counting.total();
            Jobs.Result fromDisk = Jobs.reconstructCt(virtual, null, 0, solve, null);
            int reads = counting.total() - before;
            String what = solve == null ? "FBP" : "PnP-ADMM";
            // One check, one solve, and the model pick's middle plane: the old code copied the whole
            // volume for every plane (depth^2 = 144 reads).
            assertTrue(reads <= 2 * depth + 1, what + ": " + reads + " plane reads for " + depth + " planes");
            Jobs.Result fromMemory = Jobs.reconstructCt(inMemory, null, 0, solve, null);
            assertEquals(depth, fromDisk.image().getStackSize());
            float[][] a = FijiTestImages.pixels(fromDisk.image());
            float[][] b = FijiTestImages.pixels(fromMemory.image());
            for (int z = 0; z < depth; z++) {
                assertArrayEquals(b[z], a[z], 0f, what + ", slice " + z);
            }
        }
    }
}
