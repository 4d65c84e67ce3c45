package dev.clcrec.data.prepare;

import dev.clcrec.data.DatasetFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the three MovieLens distributions: ml-latest (csv), ml-100k (u.data/u.item), ml-1m (.dat). */
public final class MovieLensFiles {
    private MovieLensFiles() {}

    public enum Flavor {
        LATEST("ratings.csv", "movies.csv"),
        ML_100K("u.data", "u.item"),
        ML_1M("ratings.dat", "movies.dat");

        final String ratings;
        final String movies;

        Flavor(String ratings, String movies) {
            this.ratings = ratings;
            this.movies = movies;
        }
    }

    /** ML-100K's 19 genre flags, in file order. */
    static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");

    public static Flavor detect(Path dir) {
        for (Flavor f : Flavor.values()) {
            if (Files.isRegularFile(dir.resolve(f.ratings)) && Files.isRegularFile(dir.resolve(f.movies))) {
                return f;
            }
        }
        throw new DatasetFormatException(dir + ": no MovieLens files: expected ratings.csv + movies.csv, "
                + "u.data + u.item, or ratings.dat + movies.dat");
    }

    public static RawLog readRatings(Path dir, Flavor f) {
        Path file = dir.resolve(f.ratings);
        RawLog log = new RawLog();
        String delim = switch (f) {
            case LATEST -> ",";
            case ML_100K -> "\t";
            case ML_1M -> "::";
        };
        forEachLine(file, StandardCharsets.UTF_8, (line, no) -> {
            List<String> p = CsvLines.split(line, delim, file.toString(), no);
            if (no == 1 && f == Flavor.LATEST && p.get(0).strip().equals("userId")) {
                return;
            }
            if (p.size() < 3) {
                throw new DatasetFormatException(file + ": line " + no + ": expected user" + delim + "item" + delim
                        + "rating[" + delim + "timestamp], got '" + line + "'");
            }
            float rating;
            try {
                rating = Float.parseFloat(p.get(2).strip());
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(file + ": line " + no + ": rating '" + p.get(2) + "' is not a number");
            }
            long time = RawLog.NO_TIME;
            if (p.size() >= 4 && !p.get(3).isBlank()) {
                time = parseTime(p.get(3), file + ": line " + no);
            }
            log.add(p.get(0).strip(), p.get(1).strip(), rating, time);
        });
        return log;
    }

    /** A timestamp field: whole seconds (or any integer unit) since the epoch. */
    static long parseTime(String field, String where) {
        try {
            return Long.parseLong(field.strip());
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(where + ", field 4 (timestamp): '" + field + "' is not an integer");
        }
    }

    public static Map<String, MovieInfo> readMovies(Path dir, Flavor f) {
        Path file = dir.resolve(f.movies);
        Map<String, MovieInfo> movies = new HashMap<>();
        Charset cs = f == Flavor.LATEST ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        forEachLine(file, cs, (line, no) -> {
            if (no == 1 && f == Flavor.LATEST
                    && CsvLines.split(line, ",", file.toString(), no).get(0).strip().equals("movieId")) {
                return;
            }
            MovieInfo m = switch (f) {
                case LATEST -> {
                    List<String> p = CsvLines.split(line, ",", file.toString(), no);
                    require(p.size() == 3, file, no, "movieId,title,genres");
                    yield MovieInfo.fromTitle(p.get(0).strip(), p.get(1), genres(p.get(2)));
                }
                case ML_1M -> {
                    List<String> p = CsvLines.split(line, "::", file.toString(), no);
                    require(p.size() == 3, file, no, "MovieID::Title::Genres");
                    yield MovieInfo.fromTitle(p.get(0).strip(), p.get(1), genres(p.get(2)));
                }
                case ML_100K -> {
                    List<String> p = CsvLines.split(line, "|", file.toString(), no);
                    require(p.size() == 5 + ML100K_GENRES.size(), file, no,
                            "movie id|title|release date|video release date|IMDb URL|19 genre flags");
                    List<String> g = new ArrayList<>();
                    for (int k = 0; k < ML100K_GENRES.size(); k++) {
                        if (p.get(5 + k).strip().equals("1")) {
                            g.add(ML100K_GENRES.get(k));
                        }
                    }
                    yield MovieInfo.fromTitle(p.get(0).strip(), p.get(1), g);
                }
            };
            movies.put(m.id(), m);
        });
        return movies;
    }

    private static List<String> genres(String s) {
        List<String> g = new ArrayList<>();
        for (String x : s.split("\\|")) {
            String t = x.strip();
            if (!t.isEmpty() && !t.equals("(no genres listed)")) {
                g.add(t);
            }
        }
        return g;
    }

    private static void require(boolean ok, Path file, long no, String expected) {
        if (!ok) {
            throw new DatasetFormatException(file + ": line " + no + ": expected fields " + expected);
        }
    }

    interface LineConsumer {
        void accept(String line, long lineNo);
    }

    static void forEachLine(Path file, Charset cs, LineConsumer c) {
        try (BufferedReader in = Files.newBufferedReader(file, cs)) {
            String line;
            long no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                if (!line.isBlank()) {
                    c.accept(line, no);
                }
            }
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file + ": missing file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DatasetFormatException(file + ": not valid " + cs + " text", e);
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
