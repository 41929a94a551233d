package io.github.lipschitzpnp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.nio.file.Path;
import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

class BlockJobTest {

    @Test
    void planCoversTheImageOnceWithClippedMargins() {
        List<BlockJob.Block> blocks = BlockJob.plan(new long[] {100, 90, 3}, new long[] {40}, new long[] {14, 14, 0});
        assertEquals(9, blocks.size());
        int[] covered = new int[100 * 90 * 3];
        for (BlockJob.Block b : blocks) {
            for (int d = 0; d < 3; d++) {
                assertTrue(b.min()[d] >= 0 && b.min()[d] + b.dims()[d] <= new long[] {100, 90, 3}[d]);
                assertTrue(b.coreMin()[d] >= b.min()[d]);
            }
            for (long z = b.coreMin()[2]; z < b.coreMin()[2] + b.coreDims()[2]; z++) {
                for (long y = b.coreMin()[1]; y < b.coreMin()[1] + b.coreDims()[1]; y++) {
                    for (long x = b.coreMin()[0]; x < b.coreMin()[0] + b.coreDims()[0]; x++) {
                        covered[(int) (z * 9000 + y * 100 + x)]++;
                    }
                }
            }
        }
        for (int c : covered) {
            assertEquals(1, c);
        }
        // The middle block along x: core 40..79, grown by 14 on both sides.
        assertEquals(26, blocks.get(1).min()[0]);
        assertEquals(68, blocks.get(1).dims()[0]);
    }

    @Test
    void blockwiseDenoisingOfAVolumeEqualsTheLocalRun() throws Exception {
        Img<FloatType> stack = ImageFiles.read(Path.of("..", "sample-images", "eval", "ct_stent_stack_64x128x128.tif"))
                .image();
        Img<FloatType> volume = FloatImages.copy(Views.zeroMin(Views.interval(stack, new long[] {10, 20, 30},
                new long[] {109, 109, 32})));
        ModelSource src = ModelSource.of("gauss15");
        try (DenoiserModel m = BundledModels.load("gauss15", Device.cpu())) {
            long radius = BlockJob.receptiveRadius(m.spec().architecture());
            // The local tiled run: tiles of 64 (> 4 x radius: cropping tiles) on 100 x 90 planes.
            NetworkDenoiser tiled = new NetworkDenoiser(m, 64);
            assertTrue(tiled.tileCount(100, 90) > 1);
            Img<FloatType> local = Reconstruction.denoise(volume, tiled, 0, m.noiseSigma()).image();
            BlockJob job = new BlockJob(JobSpec.denoise(0), new long[] {40}, new long[] {radius});
            Img<FloatType> blocks = job.run(LocalSpark.get(), volume, src);
            float diff = BatchJobTest.maxDiff(local, blocks);
            assertTrue(diff <= 1e-4f, "block-wise vs local: " + diff);
            System.err.println("block-wise vs local tiled run, max difference: " + diff);

            // The margin matters: without one, the seams differ from the local run.
            Img<FloatType> noMargin = new BlockJob(JobSpec.denoise(0), new long[] {40}, new long[] {0})
                    .run(LocalSpark.get(), volume, src);
            assertTrue(BatchJobTest.maxDiff(local, noMargin) > 1e-3f);

            // 2D with an explicit noise level (the scaled denoiser), blocks of uneven sizes.
            Img<FloatType> plane = FloatImages.copy(Views.hyperSlice(volume, 2, 1));
            double sigma = 0.02 * (Reconstruction.denoise(plane, new NetworkDenoiser(m), 0, 1).scaling().span());
            Img<FloatType> local2 = Reconstruction.denoise(plane, new NetworkDenoiser(m), sigma, m.noiseSigma()).image();
            Img<FloatType> blocks2 = new BlockJob(JobSpec.denoise(sigma), new long[] {33, 45}, new long[] {radius})
                    .run(LocalSpark.get(), plane, src);
            assertTrue(BatchJobTest.maxDiff(local2, blocks2) <= 1e-4f);
        }
    }

    @Test
    void ctCannotBeSplitIntoImageBlocks() {
        JobSpec ct = JobSpec.reconstruct(Angles.uniform(8), 0, Reconstruction.Settings.of(Method.SIRT, 2));
        assertThrows(IllegalArgumentException.class, () -> new BlockJob(ct, new long[] {32}, new long[] {8}));
    }
}
