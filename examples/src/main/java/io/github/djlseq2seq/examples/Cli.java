package io.github.djlseq2seq.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The djl-seq2seq command line: {@code java -jar djl-seq2seq-examples.jar SUBCOMMAND [options]}.
 *
 * <p>Bad options print the usage and exit with status 2; a failure prints one clear line (the stack
 * trace only with {@code --stacktrace}) and exits with status 1.
 */
@Command(
        name = "djl-seq2seq",
        mixinStandardHelpOptions = true,
        version = "djl-seq2seq 0.1.0",
        description = "Train, evaluate and serve Transformer seq2seq models on DJL.",
        subcommands = {
            TrainCommand.class,
            TranslateCommand.class,
            EvalCommand.class,
            BleuCommand.class,
            ExportCommand.class,
            AverageCommand.class,
            CopyTaskCommand.class
        })
public final class Cli {

    private Cli() {}

    /**
     * Runs a subcommand and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a subcommand.
     *
     * @param args the command line
     * @return the exit status: 0 success, 1 failure, 2 usage error
     */
    public static int run(String... args) {
        return run(commandLine(), args);
    }

    /**
     * Creates the command line with the subcommands above; another application may add its own
     * (e.g. {@code spark-translate}) and run it with {@link #run(CommandLine, String...)}.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Cli());
    }

    /**
     * Runs a subcommand of a command line with this CLI's error handling: {@code --stacktrace}
     * prints the stack trace of a failure, which otherwise is one line {@code error: ...}.
     *
     * @param cli the command line, e.g. {@link #commandLine()} with more subcommands
     * @param args the command line arguments
     * @return the exit status: 0 success, 1 failure, 2 usage error
     */
    public static int run(CommandLine cli, String... args) {
        boolean trace = java.util.Arrays.asList(args).contains("--stacktrace");
        String[] rest =
                java.util.Arrays.stream(args)
                        .filter(a -> !a.equals("--stacktrace"))
                        .toArray(String[]::new);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (trace) {
                        e.printStackTrace(commandLine.getErr());
                    }
                    commandLine.getErr().println("error: " + message(e));
                    return 1;
                });
        return cli.execute(rest);
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
