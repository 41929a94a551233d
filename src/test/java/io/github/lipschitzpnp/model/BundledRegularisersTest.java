package io.github.lipschitzpnp.model;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled index with its kind column. */
class BundledRegularisersTest {

    @Test
    void indexSeparatesDenoisersFromRegularisers() throws Exception {
        assertTrue(BundledModels.regularisers().contains("advreg_ct"));
        assertTrue(BundledModels.regularisers().contains("advreg_deconvolution"));
        assertFalse(BundledModels.names().contains("advreg_ct"), "denoiser choosers never offer a regulariser");
        assertTrue(BundledModels.names().contains("gauss15"));
        assertEquals(ModelSpec.KIND_REGULARIZER, BundledModels.kind("advreg_ct"));
        assertEquals(ModelSpec.KIND_DENOISER, BundledModels.kind("gauss15"));
        for (String name : BundledModels.regularisers()) {
            ModelSpec s = BundledModels.archive(name).spec();
            assertTrue(s.isRegularizer(), name);
            assertEquals(name.substring("advreg_".length()), s.task());
            assertTrue(s.certificate().certifiedBound() <= DenoiserModel.MAX_CERTIFIED_BOUND);
        }
        for (String name : BundledModels.names()) {
            assertEquals(ModelSpec.KIND_DENOISER, BundledModels.archive(name).spec().kind(), name);
        }
    }

    @Test
    void aBundledRegulariserIsRefusedAsADenoiser() {
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> BundledModels.load("advreg_ct", Device.cpu()));
        assertTrue(e.getMessage().contains("learned regulariser"), e.getMessage());
        ModelFileException f = assertThrows(ModelFileException.class,
                () -> BundledModels.loadRegulariser("gauss15", Device.cpu()));
        assertTrue(f.getMessage().contains("not a learned regulariser"), f.getMessage());
    }
}
