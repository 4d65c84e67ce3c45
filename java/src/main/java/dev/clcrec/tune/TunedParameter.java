package dev.clcrec.tune;

import dev.clcrec.engine.ModelConfig;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.RunConfig;
import java.util.Arrays;
import java.util.Locale;

/**
 * The hyper-parameters a search may vary, each named as its {@code train} flag, with how a value is
 * applied to a run's configuration and written back as a flag (so an argfile reproduces it).
 */
public enum TunedParameter {
    L_R("l_r", false),
    REG_WEIGHT("reg_weight", false),
    LR_LAMBDA("lr_lambda", false),
    TEMP_VALUE("temp_value", false),
    NUM_SAMPLE("num_sample", false),
    DIM_E("dim_E", true),
    NUM_NEG("num_neg", true);

    private final String flag;
    private final boolean integer;

    TunedParameter(String flag, boolean integer) {
        this.flag = flag;
        this.integer = integer;
    }

    /** The train flag's name without dashes. */
    public String flag() {
        return flag;
    }

    public boolean integer() {
        return integer;
    }

    public static TunedParameter of(String name) {
        for (TunedParameter p : values()) {
            if (p.flag.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a searchable hyper-parameter (use one of "
                + Arrays.stream(values()).map(TunedParameter::flag).toList() + ")");
    }

    /** The value as a flag argument: integers without a fraction, doubles in Java's round-trip form. */
    public String format(double v) {
        return integer ? Long.toString(Math.round(v)) : Double.toString(v);
    }

    /** The value as the run will see it (an integer parameter is rounded, as its flag would be parsed). */
    public double normalise(double v) {
        return integer ? Math.round(v) : Double.parseDouble(Double.toString(v));
    }

    /** {@code base} with this parameter set to {@code v}. */
    public RunConfig apply(RunConfig base, double v) {
        ModelConfig m = base.model();
        SamplingConfig s = base.sampling();
        return switch (this) {
            case L_R -> base.withModel(m.withLearningRate(v));
            case REG_WEIGHT -> base.withModel(m.withRegWeight(v));
            case LR_LAMBDA -> base.withModel(m.withLrLambda(v));
            case TEMP_VALUE -> base.withModel(m.withTempValue(v));
            case DIM_E -> base.withModel(m.withDimE(Math.toIntExact(Math.round(v))));
            case NUM_SAMPLE -> base.withSampling(s.withNumSample(v));
            case NUM_NEG -> base.withSampling(s.withNumNeg(Math.toIntExact(Math.round(v))));
        };
    }

    @Override
    public String toString() {
        return flag.toLowerCase(Locale.ROOT);
    }
}
