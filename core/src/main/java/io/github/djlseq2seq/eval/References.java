package io.github.djlseq2seq.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a hypothesis stream against its reference streams and regroups the references by segment,
 * following sacreBLEU 2.x's rules.
 *
 * <p>A reference that is null or empty is left out, so segments may have different numbers of
 * references (the signature then says {@code nrefs:var}); a segment left with none is an error.
 * Unlike sacreBLEU's Python API, which silently stops at the shortest stream, streams of different
 * lengths are rejected, as its command line does.
 */
final class References {

    private References() {}

    /**
     * Checks the streams and returns the usable references of each segment.
     *
     * @param hypotheses one line per segment
     * @param referenceStreams one or more streams, each with one line per segment
     * @return for each segment, its non-empty references in stream order
     * @throws IllegalArgumentException if a stream is missing, empty, of the wrong length or holds
     *     a null hypothesis, or if a segment has no non-empty reference
     */
    static List<List<String>> bySegment(
            List<String> hypotheses, List<? extends List<String>> referenceStreams) {
        if (hypotheses == null || hypotheses.isEmpty()) {
            throw new IllegalArgumentException("The hypotheses must not be empty");
        }
        for (int i = 0; i < hypotheses.size(); i++) {
            if (hypotheses.get(i) == null) {
                throw new IllegalArgumentException(
                        "Undefined line in hypotheses stream: line " + (i + 1) + " is null");
            }
        }
        if (referenceStreams == null || referenceStreams.isEmpty()) {
            throw new IllegalArgumentException("At least one reference stream is needed");
        }
        for (int k = 0; k < referenceStreams.size(); k++) {
            List<String> stream = referenceStreams.get(k);
            int size = stream == null ? 0 : stream.size();
            if (size != hypotheses.size()) {
                throw new IllegalArgumentException(
                        "Reference stream "
                                + (k + 1)
                                + " has "
                                + size
                                + " lines, the hypotheses have "
                                + hypotheses.size()
                                + ": each stream must have the same length as the hypotheses");
            }
        }
        List<List<String>> segments = new ArrayList<>(hypotheses.size());
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> refs = new ArrayList<>(referenceStreams.size());
            for (List<String> stream : referenceStreams) {
                String ref = stream.get(i);
                if (ref != null && !ref.isEmpty()) {
                    refs.add(ref);
                }
            }
            if (refs.isEmpty()) {
                throw new IllegalArgumentException(
                        "Empty or null reference sentence found: line " + (i + 1));
            }
            segments.add(refs);
        }
        return segments;
    }

    /**
     * Returns the number of references per segment as the signature shows it.
     *
     * @param segments the references of each segment, from {@link #bySegment}
     * @return the count, e.g. {@code "2"}, or {@code "var"} if segments differ
     */
    static String numRefs(List<List<String>> segments) {
        Set<Integer> counts = new HashSet<>();
        for (List<String> refs : segments) {
            counts.add(refs.size());
        }
        return counts.size() == 1 ? String.valueOf(counts.iterator().next()) : "var";
    }

    /**
     * Turns the references of a single segment into one-line streams, as sacreBLEU's {@code
     * sentence_score} does.
     *
     * @param references the references of one segment
     * @return one stream per reference
     */
    static List<List<String>> asStreams(List<String> references) {
        if (references == null) {
            throw new IllegalArgumentException("The references must not be null");
        }
        List<List<String>> streams = new ArrayList<>(references.size());
        for (String ref : references) {
            List<String> stream = new ArrayList<>(1);
            stream.add(ref); // may be null: skipped like an empty reference
            streams.add(stream);
        }
        return streams;
    }
}
