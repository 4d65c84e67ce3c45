package dev.clcrec.data.layout;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clcrec.data.DatasetFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes {@code manifest.json}, checking format name and version. */
public final class ManifestFiles {
    private ManifestFiles() {}

    private static ObjectMapper mapper() {
        // Strict on purpose: "num_user": "1500" or 1500.7 is a broken manifest, not 1500, and a key
        // given twice means one of the two values is silently ignored.
        return JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public static Manifest read(Path file) {
        dev.clcrec.data.InputFiles.requireRegular(file);
        Manifest m;
        try {
            m = mapper().readValue(file.toFile(), Manifest.class);
        } catch (JacksonException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException jm && !jm.getPath().isEmpty()
                    ? "field '" + jm.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                            : String.valueOf(r.getIndex())).collect(java.util.stream.Collectors.joining(".")) + "': "
                    : "";
            throw new DatasetFormatException(file + ": malformed manifest: " + field + e.getOriginalMessage(), e);
        } catch (IOException e) {
            if (e instanceof NoSuchFileException || e instanceof java.io.FileNotFoundException) {
                throw new DatasetFormatException(file + ": missing file");
            }
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (m == null || !Manifest.FORMAT.equals(m.format())) {
            throw new DatasetFormatException(file + ": field 'format' is " + (m == null ? "missing" : "'" + m.format() + "'")
                    + ", expected '" + Manifest.FORMAT + "'");
        }
        if (m.formatVersion() != Manifest.VERSION) {
            throw new DatasetFormatException(file + ": unknown format_version " + m.formatVersion()
                    + ", this reader understands version " + Manifest.VERSION);
        }
        require(file, m.interactions() != null && m.interactions().train() != null && m.interactions().val() != null
                && m.interactions().test() != null, "interactions.train/val/test");
        require(file, m.modalities() != null || m.words() != null, "modalities");
        require(file, m.name() != null, "name");
        if (m.modalities() != null) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Manifest.Modality mod : m.modalities()) {
                if (mod != null && mod.name() != null && !seen.add(mod.name())) {
                    throw new DatasetFormatException(file + ": modality '" + mod.name() + "' is listed twice");
                }
            }
        }
        return m;
    }

    private static void require(Path file, boolean ok, String field) {
        if (!ok) {
            throw new DatasetFormatException(file + ": field '" + field + "' is missing");
        }
    }

    public static void write(Path file, Manifest m) {
        try {
            mapper().writeValue(file.toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
