package dev.clcrec.data.prepare;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A movie's metadata: title without the year, release year (0 when unknown) and genres. */
public record MovieInfo(String id, String title, int year, List<String> genres) {
    private static final Pattern YEAR = Pattern.compile("\\s*\\((\\d{4})(?:[-–]\\d{0,4})?\\)\\s*$");

    public MovieInfo {
        genres = List.copyOf(genres);
    }

    /** Splits {@code "Toy Story (1995)"} into title and year. */
    public static MovieInfo fromTitle(String id, String titleWithYear, List<String> genres) {
        String t = titleWithYear.strip();
        Matcher m = YEAR.matcher(t);
        int year = 0;
        if (m.find()) {
            year = Integer.parseInt(m.group(1));
            t = t.substring(0, m.start()).strip();
        }
        return new MovieInfo(id, t, year, genres);
    }
}
