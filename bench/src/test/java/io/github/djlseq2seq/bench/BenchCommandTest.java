package io.github.djlseq2seq.bench;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import io.github.djlseq2seq.precision.Bf16Support;
import io.github.djlseq2seq.precision.Precision;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The bench command line maps flags onto settings and refuses bad ones before running anything. */
public class BenchCommandTest {

    @Test
    public void mapsFlagsOntoSettings() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command)
                .parseArgs(
                        "--steps",
                        "2",
                        "--warmup",
                        "1",
                        "--memory-steps",
                        "0",
                        "--skip-decoding",
                        "--batch",
                        "8",
                        "--length",
                        "16",
                        "--target-length",
                        "24",
                        "--clip",
                        "--profile",
                        "trace.json");
        BenchSettings settings = command.settings();
        assertEquals(settings.getTimedSteps(), 2);
        assertEquals(settings.getWarmupSteps(), 1);
        assertEquals(settings.getMemorySteps(), 0);
        assertEquals(settings.getBatch(), 8);
        assertEquals(settings.getSourceLength(), 16);
        assertEquals(settings.getTargetLength(), 24);
        assertEquals(settings.totalSteps(), 3);
        assertTrue(settings.isSkipDecoding() && settings.isClip());
        assertFalse(settings.isSkipMatmul());
        assertEquals(settings.getProfile(), Path.of("trace.json"));
    }

    @Test
    public void defaultsAreTheBaseCpuReport() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs();
        BenchSettings settings = command.settings();
        assertEquals(settings.getBatch(), 32);
        assertEquals(settings.getSourceLength(), 32);
        assertEquals(settings.getTargetLength(), 32);
        assertEquals(settings.getWarmupSteps(), 5);
        assertEquals(settings.getTimedSteps(), 20);
        assertEquals(settings.getMemorySteps(), BenchSettings.FIRST_MEMORY_STEP);
        assertNull(settings.getProfile());
        assertEquals(settings.modelConfig().modelDim(), 256);
    }

    @Test
    public void subcommandsParseTheirOwnFlags() {
        CommandLine cli = BenchCommand.commandLine();
        CommandLine.ParseResult result = cli.parseArgs("scaling", "--warmup", "0", "--steps", "4");
        BenchCommand.Scaling scaling = result.subcommand().commandSpec().commandLine().getCommand();
        assertEquals(scaling.warmup, 0);
        assertEquals(scaling.steps, 4);
        assertEquals(
                cli.getSubcommands().keySet().toString(),
                "[training, decoding, scaling, tokenizer, data]");
    }

    @Test
    public void badFlagsExitWithStatus2() {
        assertUsageError("Unknown option: '--bogus'", "--bogus");
        assertUsageError("--steps", "--steps", "two");
        assertUsageError("--steps", "--steps");
        assertUsageError("timedSteps must be positive, got 0", "--steps", "0");
        assertUsageError("batch must be positive, got -1", "training", "--batch", "-1");
        assertUsageError("--steps positive", "scaling", "--steps", "0");
        assertUsageError("--vocab-size must be positive", "tokenizer", "--vocab-size", "0");
        assertUsageError("Unmatched argument", "data", "extra");
        assertUsageError("Unknown option: '--skip-matmul'", "training", "--skip-matmul");
    }

    @Test
    public void precisionIsParsedAndResolvedForTheCpu() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs();
        assertEquals(command.settings().getPrecision(), Precision.FP32);
        new CommandLine(command).parseArgs("--precision", "bf16");
        boolean native16 = Bf16Support.system().supports(Device.cpu());
        assertEquals(command.settings().getPrecision(), native16 ? Precision.BF16 : Precision.FP32);
        assertUsageError("unknown precision 'fp16'", "--precision", "fp16");
        assertUsageError("unknown precision 'fp16'", "decoding", "--precision", "fp16");
    }

    @Test
    public void helpExitsWithStatus0() {
        CommandLine cli = BenchCommand.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertEquals(cli.execute("--help"), 0);
        assertTrue(out.toString().contains("--memory-steps"), out.toString());
    }

    private static void assertUsageError(String expected, String... args) {
        CommandLine cli = BenchCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(cli.execute(args), 2, err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }
}
