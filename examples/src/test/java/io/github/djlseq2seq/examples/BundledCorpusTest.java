package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import io.github.djlseq2seq.data.ParallelTsvReader;
import io.github.djlseq2seq.data.TextPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.testng.annotations.Test;

/** The bundled Bible corpus is complete and reachable as streams and as files, also from a jar. */
public class BundledCorpusTest {

    @Test
    public void splitsHaveTheirDocumentedSizes() throws IOException {
        List<TextPair> train = BundledCorpus.readTrain();
        List<TextPair> dev = BundledCorpus.readDev();
        assertEquals(train.size(), 28_540);
        assertEquals(dev.size(), 1_231);
        assertEquals(train.get(0).reference(), "Genesis 1:1");
        assertTrue(train.get(2).source().contains("Let there be light"), train.get(2).source());
        assertTrue(train.get(2).target().contains("Sea la luz"), train.get(2).target());
        // the files read the same as the streams
        assertEquals(ParallelTsvReader.read(BundledCorpus.train()), train);
        assertEquals(ParallelTsvReader.read(BundledCorpus.dev()), dev);
    }

    @Test
    public void aResourceInsideAJarIsCopiedToAFile() throws IOException {
        Path jar = Files.createTempFile("bundled-corpus-test", ".jar");
        byte[] bytes;
        try (InputStream in = BundledCorpus.openDev()) {
            bytes = in.readAllBytes();
        }
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry("data/dev.tsv.gz"));
            jarOut.write(bytes);
            jarOut.closeEntry();
        }
        URL url = new URL("jar:" + jar.toUri() + "!/data/dev.tsv.gz");
        Path copy = BundledCorpus.toFile(url);
        assertNotEquals(copy, jar);
        assertTrue(copy.getFileName().toString().endsWith("dev.tsv.gz"), copy.toString());
        assertEquals(Files.readAllBytes(copy), bytes);
        Files.delete(copy);
        Files.delete(jar);
    }
}
