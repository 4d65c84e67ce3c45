package dev.clcrec.engine;

import dev.clcrec.ffi.clcrec_config;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Copies a {@link ModelConfig} to and from the header's {@code clcrec_config} struct. */
final class ConfigStruct {
    private ConfigStruct() {}

    static MemorySegment write(ModelConfig c, Arena arena) {
        MemorySegment s = clcrec_config.allocate(arena);
        clcrec_config.num_user(s, c.numUser());
        clcrec_config.num_item(s, c.numItem());
        clcrec_config.num_warm_item(s, c.numWarmItem());
        clcrec_config.dim_e(s, c.dimE());
        clcrec_config.hidden_dim(s, c.hiddenDim());
        clcrec_config.word_dim(s, c.wordDim());
        clcrec_config.temp_value(s, c.tempValue());
        clcrec_config.lr_lambda(s, c.lrLambda());
        clcrec_config.reg_weight(s, c.regWeight());
        clcrec_config.learning_rate(s, c.learningRate());
        clcrec_config.device_type(s, c.device().code());
        clcrec_config.device_index(s, c.deviceIndex());
        clcrec_config.num_threads(s, c.numThreads());
        clcrec_config.train_word_embedding(s, c.trainWordEmbedding() ? 1 : 0);
        clcrec_config.seed(s, c.seed());
        clcrec_config.kernels(s, c.kernels().code());
        clcrec_config.re_temp_value(s, c.reTempValue());
        return s;
    }

    static ModelConfig read(MemorySegment s) {
        return new ModelConfig(
                clcrec_config.num_user(s),
                clcrec_config.num_item(s),
                clcrec_config.num_warm_item(s),
                Math.toIntExact(clcrec_config.dim_e(s)),
                Math.toIntExact(clcrec_config.hidden_dim(s)),
                Math.toIntExact(clcrec_config.word_dim(s)),
                clcrec_config.temp_value(s),
                clcrec_config.lr_lambda(s),
                clcrec_config.reg_weight(s),
                clcrec_config.learning_rate(s),
                Device.fromCode(clcrec_config.device_type(s)),
                clcrec_config.device_index(s),
                clcrec_config.num_threads(s),
                clcrec_config.train_word_embedding(s) != 0,
                clcrec_config.seed(s),
                Kernels.fromCode(clcrec_config.kernels(s)),
                clcrec_config.re_temp_value(s));
    }
}
