package io.github.lipschitzpnp.model;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.github.lipschitzpnp.report.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The bytes of a {@code .lpnp.zip} model file: {@code model.json} and {@code parameters.bin} (DJL's
 * parameter stream). Reading never extracts anything to disk, refuses unknown or duplicate entries,
 * path-like names, and entries larger than fixed limits (so a zip bomb stops early), and checks
 * the parameters' SHA-256. Nothing in a model file is executed or deserialised as Java objects.
 */
public record ModelArchive(ModelSpec spec, byte[] parameters) {

    public static final String SPEC_ENTRY = "model.json";
    public static final String PARAMETERS_ENTRY = "parameters.bin";
    static final long MAX_SPEC_BYTES = 1L << 20;
    static final long MAX_PARAMETER_BYTES = 64L << 20;
    private static final long MAX_FILE_BYTES = 128L << 20;

    static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeSpecialFloatingPointValues()
            .setPrettyPrinting()
            .create();

    /** A new archive whose spec carries the SHA-256 of the given parameters. */
    public static ModelArchive of(ModelSpec spec, byte[] parameters) {
        ModelSpec s = new ModelSpec(ModelSpec.FORMAT, ModelSpec.FORMAT_VERSION, spec.name(), spec.kind(),
                spec.architecture(), spec.noise(), spec.training(), spec.certificate(), spec.validation(),
                sha256(parameters));
        return new ModelArchive(s, parameters.clone());
    }

    /** The spec as the JSON text stored in the file. */
    public String specJson() {
        return GSON.toJson(spec);
    }

    /** Writes the archive atomically (temporary file, then moved into place). */
    public void write(Path file) throws IOException {
        byte[] json = specJson().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(SPEC_ENTRY));
            zip.write(json);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(PARAMETERS_ENTRY));
            zip.write(parameters);
            zip.closeEntry();
            zip.finish();
        });
    }

    /** Reads and validates the container from a file (not yet the network: see {@code ModelLoader}). */
    public static ModelArchive read(Path file) throws ModelFileException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException("model file " + file + " does not exist: give the path of a .lpnp.zip "
                    + "file or the name of a bundled model (lpnp certify --list)");
        } catch (IOException e) {
            throw new ModelFileException("model file " + file + " cannot be read: " + e.getMessage());
        }
        if (size > MAX_FILE_BYTES) {
            throw new ModelFileException("model file " + file + " is " + size + " bytes, more than the "
                    + MAX_FILE_BYTES + " a model may have: it is not a Lipschitz PnP model");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new ModelFileException("model file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads and validates the container from a stream; {@code origin} names it in messages. */
    public static ModelArchive read(InputStream in, String origin) throws ModelFileException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.contains("/") || name.contains("\\") || name.contains("..")) {
                    throw new ModelFileException("model file " + origin + " contains the path-like entry '" + name
                            + "': refused (a model file holds only " + SPEC_ENTRY + " and " + PARAMETERS_ENTRY + ")");
                }
                long limit;
                if (SPEC_ENTRY.equals(name)) {
                    limit = MAX_SPEC_BYTES;
                } else if (PARAMETERS_ENTRY.equals(name)) {
                    limit = MAX_PARAMETER_BYTES;
                } else {
                    throw new ModelFileException("model file " + origin + " contains the unexpected entry '" + name
                            + "': refused (a model file holds only " + SPEC_ENTRY + " and " + PARAMETERS_ENTRY + ")");
                }
                if (entries.containsKey(name)) {
                    throw new ModelFileException("model file " + origin + " contains '" + name + "' twice: refused");
                }
                entries.put(name, readLimited(zip, limit, origin, name));
            }
        } catch (IllegalArgumentException e) {
            // ZipInputStream reports entry names that are not valid UTF-8 this way (found by fuzzing).
            throw new ModelFileException("model file " + origin + " is not a valid zip archive (" + e.getMessage()
                    + "): it may be damaged or not a Lipschitz PnP model; download or copy it again", e);
        } catch (ZipException e) {
            throw new ModelFileException("model file " + origin + " is not a valid zip archive (" + e.getMessage()
                    + "): it may be truncated or not a Lipschitz PnP model; download or copy it again", e);
        } catch (IOException e) {
            throw new ModelFileException("model file " + origin + " cannot be read (" + e.getMessage()
                    + "): it may be truncated; copy it again", e);
        }
        if (entries.isEmpty()) {
            throw new ModelFileException("model file " + origin + " is empty or not a zip archive: "
                    + "a Lipschitz PnP model is a .lpnp.zip file made by 'lpnp train'");
        }
        for (String required : new String[] {SPEC_ENTRY, PARAMETERS_ENTRY}) {
            if (!entries.containsKey(required)) {
                throw new ModelFileException("model file " + origin + " has no " + required
                        + ": it is incomplete or not a Lipschitz PnP model");
            }
        }
        ModelSpec spec = parseSpec(new String(entries.get(SPEC_ENTRY), StandardCharsets.UTF_8), origin);
        byte[] parameters = entries.get(PARAMETERS_ENTRY);
        String sha = sha256(parameters);
        if (!sha.equals(spec.parametersSha256())) {
            throw new ModelFileException("model file " + origin + ": the parameters do not match the checksum in "
                    + SPEC_ENTRY + " (file corrupted or edited): refused");
        }
        return new ModelArchive(spec, parameters);
    }

    private static byte[] readLimited(InputStream in, long limit, String origin, String name)
            throws IOException, ModelFileException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                throw new ModelFileException("model file " + origin + ": entry '" + name + "' decompresses to more than "
                        + limit + " bytes: refused (not a Lipschitz PnP model, or a zip bomb)");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static ModelSpec parseSpec(String json, String origin) throws ModelFileException {
        ModelSpec spec;
        try {
            spec = GSON.fromJson(json, ModelSpec.class);
        } catch (JsonParseException e) {
            throw new ModelFileException("model file " + origin + ": " + SPEC_ENTRY + " is not valid JSON ("
                    + e.getMessage() + ")", e);
        }
        if (spec == null || !ModelSpec.FORMAT.equals(spec.format())) {
            throw new ModelFileException("model file " + origin + ": " + SPEC_ENTRY + " does not declare format '"
                    + ModelSpec.FORMAT + "': not a Lipschitz PnP model");
        }
        if (spec.formatVersion() < 1 || spec.formatVersion() > ModelSpec.FORMAT_VERSION) {
            throw new ModelFileException("model file " + origin + " has format version " + spec.formatVersion()
                    + " but this Lipschitz PnP reads versions 1 to " + ModelSpec.FORMAT_VERSION
                    + ": update Lipschitz PnP or re-export the model");
        }
        ModelSpec.Architecture a = spec.architecture();
        if (a == null || spec.kind() == null || spec.noise() == null) {
            throw new ModelFileException("model file " + origin + ": " + SPEC_ENTRY
                    + " lacks 'kind', 'architecture' or 'noise': incomplete model description");
        }
        if (!ModelSpec.KIND_DENOISER.equals(spec.kind()) && !ModelSpec.KIND_REGULARIZER.equals(spec.kind())) {
            throw new ModelFileException("model file " + origin + " is of kind '" + spec.kind() + "', which this "
                    + "Lipschitz PnP does not know (it reads '" + ModelSpec.KIND_DENOISER + "' and '"
                    + ModelSpec.KIND_REGULARIZER + "'): update Lipschitz PnP");
        }
        if (a.spatialDims() < 2 || a.spatialDims() > 3 || a.inChannels() < 1 || a.width() < 1 || a.hidden() < 1
                || a.depth() < 0 || a.depth() > 1000 || a.kernel() < 1 || a.kernel() % 2 == 0 || a.kernel() > 15
                || !(a.tau() > 0 && a.tau() <= 1) || a.width() > 4096 || a.hidden() > 4096
                || a.coarseBlocks() < 0 || a.coarseBlocks() > a.depth() || (a.coarseBlocks() > 0 && a.spatialDims() != 2)) {
            throw new ModelFileException("model file " + origin + ": architecture " + a + " is out of range "
                    + "(2-3 spatial dims, odd kernel <= 15, tau in (0, 1], widths <= 4096, coarse_blocks 0..depth and only in 2D)");
        }
        ModelSpec.Noise n = spec.noise();
        if (!("gaussian".equals(n.model()) || "poisson-gaussian".equals(n.model())) || !(n.sigma() >= 0 && n.sigma() < 1)
                || !(n.sigmaMin() >= 0 && n.sigmaMin() <= n.sigmaMax() && n.sigmaMax() < 1) || !(n.peak() >= 0)
                || Double.isInfinite(n.peak())) {
            throw new ModelFileException("model file " + origin + ": the noise section " + n + " is invalid "
                    + "(model gaussian or poisson-gaussian, sigmas in [0, 1) with min <= max, finite peak >= 0)");
        }
        if (spec.certificate() != null && !Double.isFinite(spec.certificate().certifiedBound())) {
            throw new ModelFileException("model file " + origin + ": the stated certified bound "
                    + spec.certificate().certifiedBound() + " is not a number: refused");
        }
        return spec;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
