package dev.clcrec.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/** Resolves --data_path as the reference does (a name under ./Data/) or as a directory. */
final class DataPaths {
    private DataPaths() {}

    static Path resolve(CommandSpec spec, String dataPath) {
        Path direct = Path.of(dataPath);
        if (Files.isDirectory(direct)) {
            return direct;
        }
        Path underData = Path.of("Data", dataPath);
        if (Files.isDirectory(underData)) {
            return underData;
        }
        throw new ParameterException(spec.commandLine(), "--data_path '" + dataPath + "': no such dataset directory (looked at "
                + direct.toAbsolutePath() + " and " + underData.toAbsolutePath() + ")");
    }
}
