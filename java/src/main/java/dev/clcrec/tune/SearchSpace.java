package dev.clcrec.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The declared hyper-parameter space of a search. Trial {@code i}'s values depend only on the
 * search seed and {@code i}, so a resumed search draws the same configurations in the same order.
 */
public record SearchSpace(List<Param> params) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIX = 0x9E3779B97F4A7C15L;

    public SearchSpace {
        params = List.copyOf(params);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Param p : params) {
            TunedParameter.of(p.name());
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException(p.name() + " is declared twice in the search space");
            }
        }
    }

    /** The default space: ranges around the reference's and the demo's values. */
    public static SearchSpace defaults() {
        return new SearchSpace(List.of(
                new Param.LogUniform("l_r", 1e-4, 1e-2),
                new Param.LogUniform("reg_weight", 1e-3, 1.0),
                new Param.Uniform("lr_lambda", 0.1, 1.0),
                new Param.LogUniform("temp_value", 0.1, 5.0),
                new Param.Uniform("num_sample", 0.1, 0.9),
                new Param.Choice("dim_E", List.of(32.0, 64.0, 128.0)),
                new Param.Choice("num_neg", List.of(32.0, 64.0, 128.0, 256.0, 512.0))));
    }

    /**
     * The default space with a JSON file's entries replacing its own, e.g.
     * {@code {"l_r": {"log_uniform": [1e-4, 1e-2]}, "dim_E": {"choice": [32, 64]},
     * "num_sample": {"uniform": [0.3, 0.9]}, "temp_value": 2, "lr_lambda": null}}:
     * a number fixes the parameter, null leaves it out of the search (the train flags' value is used).
     *
     * @throws IllegalArgumentException naming the file and the entry that is wrong
     */
    public static SearchSpace withOverrides(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the search space: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": the search space must be a JSON object of parameter entries");
        }
        Map<String, Param> byName = new LinkedHashMap<>();
        for (Param p : defaults().params()) {
            byName.put(p.name(), p);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            try {
                TunedParameter.of(name);
                Param p = parse(name, root.get(name));
                if (p == null) {
                    byName.remove(name);
                } else {
                    byName.put(name, p);
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + ": entry \"" + name + "\": " + ex.getMessage(), ex);
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException(file + ": the search space leaves no parameter to search");
        }
        return new SearchSpace(new ArrayList<>(byName.values()));
    }

    private static Param parse(String name, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return new Param.Choice(name, List.of(v.asDouble()));
        }
        if (!v.isObject() || v.size() != 1) {
            throw new IllegalArgumentException("expected a number, null, or one of {\"log_uniform\": [low, high]}, "
                    + "{\"uniform\": [low, high]}, {\"choice\": [values...]}");
        }
        String kind = v.fieldNames().next();
        JsonNode arg = v.get(kind);
        List<Double> values = numbers(arg);
        return switch (kind) {
            case "log_uniform", "uniform" -> {
                if (values.size() != 2) {
                    throw new IllegalArgumentException(kind + " needs [low, high], got " + arg);
                }
                yield kind.equals("uniform") ? new Param.Uniform(name, values.get(0), values.get(1))
                        : new Param.LogUniform(name, values.get(0), values.get(1));
            }
            case "choice" -> new Param.Choice(name, values);
            default -> throw new IllegalArgumentException("unknown distribution '" + kind
                    + "' (use log_uniform, uniform or choice)");
        };
    }

    private static List<Double> numbers(JsonNode arg) {
        if (!arg.isArray()) {
            throw new IllegalArgumentException("expected an array of numbers, got " + arg);
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode n : arg) {
            if (!n.isNumber()) {
                throw new IllegalArgumentException("expected numbers, got " + n);
            }
            out.add(n.asDouble());
        }
        return out;
    }

    /** Trial {@code index}'s values, by flag name in declaration order, as the run will see them. */
    public Map<String, Double> sample(long seed, int index) {
        SplittableRandom r = new SplittableRandom(seed * MIX + index);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Param p : params) {
            out.put(p.name(), TunedParameter.of(p.name()).normalise(p.sample(r)));
        }
        return out;
    }

    public Param param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is not searched"));
    }

    /** A plain description (for the leaderboard's record of what was searched). */
    public List<String> describe() {
        return params.stream().map(Object::toString).toList();
    }
}
