package io.github.lipschitzpnp.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchJobTest {

    static final Path EVAL = Path.of("..", "sample-images", "eval");
    static final String[] SAMPLES = {"camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif", "ct_small_mu_256.tif"};

    @TempDir
    static Path tmp;
    static Path in;
    static ModelSource gauss15;

    /** 64x64 crops of real sample images (plus a noisy copy is not needed: the job is deterministic). */
    @BeforeAll
    static void crops() throws Exception {
        in = Files.createDirectories(tmp.resolve("in"));
        for (String s : SAMPLES) {
            Img<FloatType> img = ImageFiles.read(EVAL.resolve(s)).image();
            Img<FloatType> crop = FloatImages.copy(Views.zeroMin(Views.interval(img, new long[] {96, 96},
                    new long[] {159, 159})));
            String name = s.substring(0, s.lastIndexOf('.')) + ".tif";
            ImageFiles.writeTiff(crop, null, in.resolve(name), ImageFiles.WriteOptions.noOverwrite());
        }
        gauss15 = ModelSource.of("gauss15");
    }

    static float maxDiff(Img<FloatType> a, Img<FloatType> b) {
        float[] x = FloatImages.data(a);
        float[] y = FloatImages.data(b);
        assertEquals(x.length, y.length);
        float m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    @Test
    void denoiseBatchEqualsLocalPipelinePerImageAndReportsPsnr() throws Exception {
        Path out = tmp.resolve("out-denoise");
        List<Path> inputs = BatchJob.inputs(in);
        assertEquals(SAMPLES.length, inputs.size());
        BatchJob job = new BatchJob(JobSpec.denoise(0), out, in); // the input as its own reference: PSNR finite
        int loadsBefore = ExecutorModels.loads();
        List<ImageRecord> records = job.run(LocalSpark.get(), inputs, gauss15);
        int loadsAfter = ExecutorModels.loads();
        assertTrue(loadsAfter - loadsBefore <= 1, "one load per executor JVM, got " + (loadsAfter - loadsBefore));
        assertEquals(inputs.size(), records.size());
        try (DenoiserModel m = BundledModels.load("gauss15", Device.cpu())) {
            NetworkDenoiser d = new NetworkDenoiser(m);
            for (int i = 0; i < inputs.size(); i++) {
                ImageRecord r = records.get(i);
                assertTrue(r.ok(), r.toString());
                assertEquals(inputs.get(i).getFileName().toString(), r.name());
                assertNull(r.error());
                assertNotNull(r.psnr());
                assertTrue(r.psnr() > 15 && r.seconds() > 0, r.toString());
                Img<FloatType> local = Reconstruction.denoise(ImageFiles.read(inputs.get(i)).image(), d, 0,
                        m.noiseSigma()).image();
                Img<FloatType> remote = ImageFiles.read(Path.of(r.output())).image();
                assertTrue(maxDiff(local, remote) <= 1e-5f, r.name() + ": " + maxDiff(local, remote));
            }
        }
        // Written atomically: no temporary files left behind.
        try (var files = Files.list(out)) {
            assertEquals(SAMPLES.length, files.count());
        }
        // The driver (this JVM) is the executor in local mode: the model stays cached, no reload.
        new BatchJob(JobSpec.denoise(0), tmp.resolve("out-again"), null).run(LocalSpark.get(), inputs, gauss15);
        assertEquals(loadsAfter, ExecutorModels.loads());
    }

    @Test
    void corruptInputIsReportedWhileTheRestSucceed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("with-corrupt"));
        List<Path> inputs = new ArrayList<>();
        for (Path p : BatchJob.inputs(in)) {
            inputs.add(Files.copy(p, dir.resolve(p.getFileName())));
        }
        Path broken = dir.resolve("broken.tif");
        Files.write(broken, new byte[] {'I', 'I', 42, 0, 1, 2, 3, 4, 5, 6, 7});
        inputs.add(1, broken);
        Path out = tmp.resolve("out-corrupt");
        List<ImageRecord> records = new BatchJob(JobSpec.denoise(0), out, null).run(LocalSpark.get(), inputs, gauss15);
        assertEquals(inputs.size(), records.size());
        ImageRecord bad = records.get(1);
        assertEquals("broken.tif", bad.name());
        assertFalse(bad.ok());
        assertNotNull(bad.error());
        assertNull(bad.output());
        int ok = 0;
        for (ImageRecord r : records) {
            if (r != bad) {
                assertTrue(r.ok(), r.toString());
                assertTrue(Files.exists(Path.of(r.output())));
                ok++;
            }
        }
        assertEquals(SAMPLES.length, ok);
        assertFalse(Files.exists(out.resolve("broken.tif")));
        // A second run without overwrite refuses per image (the outputs exist) and says why.
        List<ImageRecord> again = new BatchJob(JobSpec.denoise(0), out, null).run(LocalSpark.get(),
                inputs.subList(0, 1), gauss15);
        assertFalse(again.get(0).ok());
        assertTrue(again.get(0).error().contains("already exists"), again.get(0).error());
    }

    @Test
    void deconvolveAndReconstructJobsEqualTheLocalPipeline() throws Exception {
        Path img = BatchJob.inputs(in).get(2);
        Img<FloatType> psf = io.github.lipschitzpnp.physics.Psf.gaussian2D(1.5, 9);
        Reconstruction.Settings s = Reconstruction.Settings.of(Method.PNP_PGD, 5);
        JobSpec deconv = JobSpec.deconvolve(psf, Boundary.REFLECTIVE, s);
        Path out = tmp.resolve("out-deconv");
        ImageRecord r = new BatchJob(deconv, out, null).run(LocalSpark.get(), List.of(img), gauss15).get(0);
        assertTrue(r.ok(), r.toString());
        try (DenoiserModel m = BundledModels.load("gauss15", Device.cpu())) {
            Img<FloatType> local = Reconstruction.deconvolve(ImageFiles.read(img).image(), psf, Boundary.REFLECTIVE, s,
                    new NetworkDenoiser(m), null, null).image();
            assertTrue(maxDiff(local, ImageFiles.read(Path.of(r.output())).image()) <= 1e-5f);
        }
        // CT with a classical method needs no model: the 64x64 crop read as a sinogram of 64 angles.
        double[] angles = Angles.uniform(64);
        JobSpec ct = JobSpec.reconstruct(angles, 0, Reconstruction.Settings.of(Method.SIRT, 3));
        ImageRecord c = new BatchJob(ct, tmp.resolve("out-ct"), null).run(LocalSpark.get(), List.of(img), null).get(0);
        assertTrue(c.ok(), c.toString());
        Img<FloatType> local = Reconstruction.reconstructCt(ImageFiles.read(img).image(), angles, 0,
                Reconstruction.Settings.of(Method.SIRT, 3), null, null, null).image();
        Img<FloatType> remote = ImageFiles.read(Path.of(c.output())).image();
        assertEquals(List.of(64L, 64L), List.of(remote.dimension(0), remote.dimension(1)));
        assertTrue(maxDiff(local, remote) <= 1e-5f);
        assertEquals(2, Intervals.dimensionsAsLongArray(remote).length);
        // FBP (no settings, no model), as lpnp reconstruct --method fbp.
        ImageRecord f = new BatchJob(JobSpec.reconstruct(angles, 0, null), tmp.resolve("out-fbp"), null)
                .run(LocalSpark.get(), List.of(img), null).get(0);
        assertTrue(f.ok(), f.toString());
        assertTrue(maxDiff(Reconstruction.fbp(ImageFiles.read(img).image(), angles, 0),
                ImageFiles.read(Path.of(f.output())).image()) <= 1e-5f);
    }

    @Test
    void sinogramStackIsOneTaskPerSliceAssembledAndEqualsTheLocalPipeline() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ct-stack"));
        Path refs = Files.createDirectories(tmp.resolve("ct-ref"));
        double[] angles = Angles.uniform(24);
        List<Img<FloatType>> clean = new ArrayList<>();
        List<Img<FloatType>> sinos = new ArrayList<>();
        for (String s : new String[] {"ct_small_mu_256.tif", "mri_s1045_256.tif", "cell_qpi_512.tif"}) {
            Img<FloatType> slice = ImageFiles.read(in.resolve(s)).image();
            clean.add(slice);
            sinos.add(io.github.lipschitzpnp.pipeline.Simulation.sinogram(slice, angles));
        }
        io.github.lipschitzpnp.image.ImageCalibration cal = new io.github.lipschitzpnp.image.ImageCalibration(0.5, 0.5,
                2, "mm");
        Path stack = dir.resolve("vol.tif");
        ImageFiles.writeTiff(FloatImages.stack(sinos), cal, stack, ImageFiles.WriteOptions.noOverwrite());
        ImageFiles.writeTiff(FloatImages.stack(clean), null, refs.resolve("vol.tif"), ImageFiles.WriteOptions.noOverwrite());
        Path single = dir.resolve("one.tif");
        ImageFiles.writeTiff(sinos.get(1), null, single, ImageFiles.WriteOptions.noOverwrite());
        Reconstruction.Settings sirt = Reconstruction.Settings.of(Method.SIRT, 3);
        JobSpec job = JobSpec.reconstruct(angles, 0, sirt);
        Path out = tmp.resolve("out-ct-stack");

        List<ImageRecord> records = new BatchJob(job, out, refs).run(LocalSpark.get(), List.of(stack, single), null);
        assertEquals(2, records.size());
        ImageRecord r = records.get(0);
        assertTrue(r.ok(), r.toString());
        assertEquals(3, r.slices());
        assertEquals(1, records.get(1).slices());
        assertTrue(records.get(1).ok(), records.get(1).toString());
        ImageFiles.LoadedImage remote = ImageFiles.read(Path.of(r.output()));
        assertArrayEquals(new long[] {64, 64, 3}, Intervals.dimensionsAsLongArray(remote.image()));
        assertEquals(2, remote.calibration().pixelDepth(), 1e-12);
        assertEquals(0.5, remote.calibration().pixelWidth(), 1e-8);
        List<Img<FloatType>> local = new ArrayList<>();
        for (int z = 0; z < 3; z++) {
            local.add(Reconstruction.reconstructCt(sinos.get(z), angles, 0, sirt, null, null, null).image());
            assertTrue(maxDiff(local.get(z), FloatImages.plane(remote.image(), z)) <= 1e-5f, "slice " + z);
        }
        Img<FloatType> ref = FloatImages.stack(clean);
        double psnr = io.github.lipschitzpnp.solve.Metrics.psnr(FloatImages.stack(local), ref,
                io.github.lipschitzpnp.image.Scaling.minMax(ref).span());
        assertEquals(psnr, r.psnr(), 1e-4, "PSNR over the whole stack");
        try (var files = Files.list(out)) {
            assertEquals(List.of("one.tif", "vol.tif"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no slice folder or temporary file left");
        }

        // Without --force the stack is refused before any slice runs.
        ImageRecord again = new BatchJob(job, out, null).run(LocalSpark.get(), List.of(stack), null).get(0);
        assertFalse(again.ok());
        assertTrue(again.error().contains("already exists"), again.error());

        // Angles that do not match the sinogram's rows refuse the stack once, before any slice runs.
        ImageRecord angles30 = new BatchJob(JobSpec.reconstruct(Angles.uniform(30), 0, sirt), tmp.resolve("out-ct-30"),
                null).run(LocalSpark.get(), List.of(stack), null).get(0);
        assertFalse(angles30.ok());
        assertTrue(angles30.error().contains("24 rows (angles) but 30 angles") && angles30.executor().equals("driver"),
                angles30.toString());

        // A failing slice fails the stack and writes nothing: here the reference has too few slices.
        Path badRefs = Files.createDirectories(tmp.resolve("ct-ref-short"));
        ImageFiles.writeTiff(FloatImages.stack(clean.subList(0, 2)), null, badRefs.resolve("vol.tif"),
                ImageFiles.WriteOptions.noOverwrite());
        Path out2 = tmp.resolve("out-ct-stack-bad");
        ImageRecord bad = new BatchJob(job, out2, badRefs).run(LocalSpark.get(), List.of(stack), null).get(0);
        assertFalse(bad.ok());
        assertTrue(bad.error().contains("3 of 3 slices failed") && bad.error().contains("2 slices"), bad.error());
        try (var files = Files.list(out2)) {
            assertEquals(0, files.count(), "no output and no slice folder");
        }
    }
}
