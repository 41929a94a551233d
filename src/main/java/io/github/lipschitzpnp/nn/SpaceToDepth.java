package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2D pixel rearrangement between resolutions, the multi-scale lift of a denoiser:
 * {@link Direction#DOWN} zero-pads {@code (B, C, H, W)} at the bottom and right to multiples of
 * {@code r} and moves each {@code r x r} cell into channels, giving
 * {@code (B, C r^2, ceil(H / r), ceil(W / r))}; {@link Direction#UP} is the inverse rearrangement.
 * Both only permute entries (DOWN also appends zeros), so both are isometries onto their image:
 * norm exactly 1, and a gradient-step block after DOWN acts at {@code r} times the pixel spacing
 * with the same 1-Lipschitz guarantee (the block {@code x - h W^T s(W x + b)} with {@code W} a
 * stride-{@code r} convolution). Undoing the padding is a crop, also of norm 1; the network does it.
 */
public final class SpaceToDepth extends NormOneLayer {

    private static final byte VERSION = 1;

    /** To coarser pixels (DOWN) or back (UP). */
    public enum Direction { DOWN, UP }

    private final int factor;
    private final Direction direction;

    /**
     * @param factor    {@code r >= 2}
     * @param direction DOWN or UP
     */
    public SpaceToDepth(int factor, Direction direction) {
        super(VERSION);
        if (factor < 2) {
            throw new IllegalArgumentException("space-to-depth factor must be at least 2, got " + factor);
        }
        this.factor = factor;
        this.direction = direction;
    }

    /** Whether {@code block} is a space-to-depth layer of direction {@code d}. */
    static boolean is(Object block, Direction d) {
        return block instanceof SpaceToDepth && ((SpaceToDepth) block).direction == d;
    }

    /** The factor {@code r}. */
    public int factor() {
        return factor;
    }

    /** DOWN or UP. */
    public Direction direction() {
        return direction;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        return new NDList(direction == Direction.DOWN ? down(x, factor) : up(x, factor));
    }

    /** {@code (B, C, H, W) -> (B, C r^2, ceil(H/r), ceil(W/r))}, zero padding at the bottom and right. */
    public static NDArray down(NDArray x, int r) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("space-to-depth needs (B, C, H, W), got " + s);
        }
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long ph = (r - h % r) % r;
        long pw = (r - w % r) % r;
        NDArray p = ph == 0 && pw == 0 ? x : x.pad(new Shape(0, pw, 0, ph), 0.0);
        long hc = (h + ph) / r;
        long wc = (w + pw) / r;
        return p.reshape(b, c, hc, r, wc, r).transpose(0, 1, 3, 5, 2, 4).reshape(b, c * r * r, hc, wc);
    }

    /** The inverse rearrangement {@code (B, C r^2, h, w) -> (B, C, h r, w r)}. */
    public static NDArray up(NDArray x, int r) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) % ((long) r * r) != 0) {
            throw new IllegalArgumentException("depth-to-space needs (B, C r^2, h, w), got " + s);
        }
        long b = s.get(0);
        long c = s.get(1) / ((long) r * r);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(b, c, h * r, w * r);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long r = factor;
        if (direction == Direction.DOWN) {
            return new Shape[] {new Shape(s.get(0), s.get(1) * r * r, (s.get(2) + r - 1) / r, (s.get(3) + r - 1) / r)};
        }
        return new Shape[] {new Shape(s.get(0), s.get(1) / (r * r), s.get(2) * r, s.get(3) * r)};
    }

    @Override
    String layerName() {
        return direction == Direction.DOWN ? "SpaceToDepth" : "DepthToSpace";
    }
}
