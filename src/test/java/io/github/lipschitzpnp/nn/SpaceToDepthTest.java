package io.github.lipschitzpnp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class SpaceToDepthTest {

    @Test
    void cellsMoveIntoChannelsInPyTorchsPixelUnshuffleOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            int r = 3;
            NDArray x = DjlTestSupport.gaussian(m, new Shape(2, 2, 6, 9), DataType.FLOAT32, 1);
            NDArray d = SpaceToDepth.down(x, r);
            assertEquals(new Shape(2, 18, 2, 3), d.getShape());
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 2; c++) {
                    for (int i = 0; i < r; i++) {
                        for (int j = 0; j < r; j++) {
                            for (int y = 0; y < 2; y++) {
                                for (int xx = 0; xx < 3; xx++) {
                                    assertEquals(x.getFloat(b, c, y * r + i, xx * r + j),
                                            d.getFloat(b, c * r * r + i * r + j, y, xx), 0.0f);
                                }
                            }
                        }
                    }
                }
            }
            assertArrayEquals(x.toFloatArray(), SpaceToDepth.up(d, r).toFloatArray(), 0.0f);
        }
    }

    @Test
    void oddSizesAreZeroPaddedSoTheNormIsKept() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = DjlTestSupport.gaussian(m, new Shape(1, 1, 7, 5), DataType.FLOAT32, 2);
            NDArray d = SpaceToDepth.down(x, 2);
            assertEquals(new Shape(1, 4, 4, 3), d.getShape());
            assertEquals(x.square().sum().getFloat(), d.square().sum().getFloat(), 1e-4f);
            NDArray back = SpaceToDepth.up(d, 2);
            assertEquals(new Shape(1, 1, 8, 6), back.getShape());
            // the appended row and column are zeros, the rest is the input
            assertEquals(0f, back.get(":, :, 7, :").abs().sum().getFloat(), 0f);
            assertEquals(0f, back.get(":, :, :, 5").abs().sum().getFloat(), 0f);
            assertArrayEquals(x.toFloatArray(), back.get(":, :, :7, :5").toFloatArray(), 0f);
            SpaceToDepth layer = new SpaceToDepth(2, SpaceToDepth.Direction.DOWN);
            assertEquals(new Shape(1, 4, 4, 3), layer.getOutputShapes(new Shape[] {new Shape(1, 1, 7, 5)})[0]);
            assertEquals(1.0, layer.layerBound().bound());
            assertThrows(IllegalArgumentException.class, () -> new SpaceToDepth(1, SpaceToDepth.Direction.UP));
        }
    }

    @Test
    void coarseBlocksKeepTheShapeAndTheCertificate() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            LipschitzResNet net = LipschitzResNet.builder().image(2).width(3).depth(4).coarseBlocks(2)
                    .identityMix(true).powerIterationSize(8).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            // lift, block0, down, block1, block2 (4 x 3 channels), up, block3, project
            String[] names = net.getChildren().keys().stream().map(k -> k.replaceAll("^[0-9]+", ""))
                    .toArray(String[]::new);
            assertArrayEquals(new String[] {"lift", "block0", "down1", "block1", "block2", "up2", "block3", "project"},
                    names);
            assertEquals(12, net.blocks().get(1).width());
            assertEquals(new Shape(3, 1, 11, 13), net.getOutputShapes(new Shape[] {new Shape(3, 1, 11, 13)})[0]);
            NDArray y = net.apply(DjlTestSupport.gaussian(m, new Shape(3, 1, 11, 13), DataType.FLOAT32, 3));
            assertEquals(new Shape(3, 1, 11, 13), y.getShape());
            LipschitzCertificate c = LipschitzCertificate.certify(net, new Shape(1, 1, 11, 13), 32, m, 4);
            assertTrue(c.certifiedBound() <= 1 + 1e-3, c.toString());
            assertTrue(c.empiricalLowerBound() <= c.certifiedBound() * (1 + 1e-4), c.toString());
            assertTrue(c.empiricalLowerBound() > 0.05, c.toString());
            assertTrue(c.layers().stream().anyMatch(l -> l.name().equals("DepthToSpace")), c.toString());
            assertThrows(IllegalArgumentException.class,
                    () -> LipschitzResNet.builder().image(3).coarseBlocks(2).build());
            assertThrows(IllegalArgumentException.class,
                    () -> LipschitzResNet.builder().image(2).depth(2).coarseBlocks(3).build());
        }
    }
}
