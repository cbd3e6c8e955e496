package io.github.djlseq2seq.examples;

import io.github.djlseq2seq.eval.Bleu;
import io.github.djlseq2seq.eval.BleuScore;
import io.github.djlseq2seq.eval.BleuTokenizer;
import io.github.djlseq2seq.eval.Segments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scores a hypothesis file against reference files, like sacreBLEU's command line. */
@Command(
        name = "bleu",
        mixinStandardHelpOptions = true,
        description = "Corpus BLEU of a hypothesis file against one or more reference files.")
public final class BleuCommand implements Callable<Integer> {

    @Option(names = "--hyp", required = true, description = "hypotheses, one per line")
    Path hypotheses;

    @Option(names = "--ref", required = true, description = "references, one per line (repeatable)")
    List<Path> references;

    @Option(
            names = {"-b", "--score-only"},
            description = "print the score alone")
    boolean scoreOnly;

    @Option(
            names = {"-w", "--width"},
            description = "decimals of the score (default: ${DEFAULT-VALUE})")
    int width = 1;

    @Option(
            names = {"-tok", "--tokenize"},
            description = "13a or none (default: ${DEFAULT-VALUE})")
    String tokenize = "13a";

    @Option(
            names = {"-lc", "--lowercase"},
            description = "lowercase before scoring")
    boolean lowercase;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (width < 0) {
            throw new IllegalArgumentException("--width must be ≥ 0, got " + width);
        }
        List<String> hyps = Segments.read(hypotheses);
        List<List<String>> refs = new ArrayList<>();
        for (Path ref : references) {
            List<String> stream = Segments.read(ref);
            if (stream.size() != hyps.size()) {
                throw new IllegalArgumentException(
                        ref
                                + " has "
                                + stream.size()
                                + " lines but "
                                + hypotheses
                                + " has "
                                + hyps.size());
            }
            refs.add(stream);
        }
        BleuScore score =
                Bleu.builder()
                        .optTokenizer(BleuTokenizer.fromName(tokenize))
                        .optLowercase(lowercase)
                        .build()
                        .corpusScore(hyps, refs);
        System.out.println(scoreOnly ? score.formatScore(width) : score.format(width, true));
        return 0;
    }
}
