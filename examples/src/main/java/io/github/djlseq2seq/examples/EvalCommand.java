package io.github.djlseq2seq.examples;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.data.ParallelTsvReader;
import io.github.djlseq2seq.data.TextPair;
import io.github.djlseq2seq.eval.BleuScore;
import io.github.djlseq2seq.inference.CorpusTranslation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Translates the source side of a parallel TSV and scores it against the target side. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Translate the source side of a TSV and print BLEU and chrF (sacreBLEU defaults).")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = DecodingFlags.MODEL_HELP)
    Path model;

    @Option(names = "--data", required = true, description = "parallel TSV(.gz)")
    Path data;

    @Mixin DecodingFlags decoding = new DecodingFlags();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        List<TextPair> pairs = ParallelTsvReader.read(data);
        List<String> sources = pairs.stream().map(TextPair::source).collect(Collectors.toList());
        List<String> refs = pairs.stream().map(TextPair::target).collect(Collectors.toList());
        try (ZooModel<String, String> loaded = decoding.load(model);
                Predictor<String, String> predictor = loaded.newPredictor()) {
            CorpusTranslation t = CorpusTranslation.translate(predictor, sources, decoding.batch);
            BleuScore bleu = t.bleu(refs);
            System.out.println(bleu.format(2, true));
            System.out.println(t.chrF(refs).format(2, true));
            System.out.printf(
                    "translated %d sentences in %.1f s (%s)%n",
                    sources.size(), t.getSeconds(), DecodingFlags.used(loaded));
        }
        return 0;
    }
}
