using System.CommandLine;

namespace Trader.Console.Commands;

/// <summary>The root <c>trader</c> command and its verb groups.</summary>
public static class TraderCommand
{
    /// <summary>Exit code for arguments that do not parse or validate.</summary>
    public const int BadArguments = 2;

    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Trader.Actors: a live trading system for the Kalshi prediction-market exchange.\n" +
            "Run 'trader <command> --help' for the details of a command.");
        root.Add(RunCommand.Create());
        root.Add(KalshiCommands.Create());
        root.Add(SimCommand.Create());
        root.Add(StatusCommand.Create());
        root.Add(ReplayCommand.Create());
        root.Add(TapeCommands.Create());
        root.Add(ModelCommand.Create());
        // The root's help lists each command by the first paragraph of its description; the rest (settings, exit
        // codes, examples) is in the command's own --help.
        if (root.Options.OfType<System.CommandLine.Help.HelpOption>().FirstOrDefault() is { Action: { } standard } help)
            help.Action = new RootHelp(standard);
        return root;
    }

    /// <summary>The root's short help; any other command's help is the standard one.</summary>
    private sealed class RootHelp(System.CommandLine.Invocation.CommandLineAction standard) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        /// <summary>As the standard help: asking for help is not an error, whatever else the command line lacks.</summary>
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.CommandResult.Command is not RootCommand)
                return standard is System.CommandLine.Invocation.SynchronousCommandLineAction sync ? sync.Invoke(parseResult) : 0;
            var output = parseResult.InvocationConfiguration.Output;
            var root = parseResult.RootCommandResult.Command;
            output.WriteLine(root.Description);
            output.WriteLine();
            output.WriteLine("Usage: trader [command] [options]      (no command: run, the trader itself)");
            output.WriteLine();
            output.WriteLine("Commands:");
            int width = root.Subcommands.Max(c => c.Name.Length) + 4;
            foreach (var command in root.Subcommands)
            {
                output.WriteLine($"  {command.Name.PadRight(width)}{Summary(command.Description)}");
            }
            output.WriteLine();
            output.WriteLine("Options:");
            output.WriteLine("  -?, -h, --help  Show help and usage information");
            output.WriteLine("  --version       Show version information");
            return 0;
        }

        /// <summary>A description's first sentence, on one line, at most about a terminal's width.</summary>
        private static string Summary(string? description)
        {
            var text = (description ?? "").Replace("\r", "").Split("\n\n")[0].Replace('\n', ' ');
            int end = text.IndexOf(". ", StringComparison.Ordinal);
            if (end > 0) text = text[..(end + 1)];
            return text.Length <= 100 ? text : text[..99].TrimEnd() + "…";
        }
    }

    /// <summary>
    /// Parses and runs a command line. Bad arguments print what is wrong (not the whole help) and exit with
    /// <see cref="BadArguments"/>; otherwise the command's own exit code.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        args = WithDefaultVerb(args);
        var parsed = Create().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await error.WriteLineAsync($"error: {e.Message}");
            string command = parsed.CommandResult.Command is RootCommand ? "trader" : $"trader {string.Join(' ', CommandPath(parsed.CommandResult))}";
            await error.WriteLineAsync($"Run '{command} --help' for usage and examples.");
            return BadArguments;
        }
        // Ctrl+C / SIGTERM cancel the command's token; a command then has this long to stop before the process is ended
        // (the trader cancels its resting orders within its own shutdown timeout, well inside this).
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }, ct);
    }

    /// <summary>
    /// <c>run</c> is the default verb: a bare <c>trader</c>, or one whose first word is an option of <c>run</c>
    /// (<c>trader --env demo …</c>), runs the trader. Help and version stay the root's.
    /// </summary>
    internal static string[] WithDefaultVerb(string[] args)
    {
        if (args.Length == 0) return ["run"];
        string first = args[0];
        bool rootOption = first is "-h" or "--help" or "-?" or "/?" or "--version";
        return first.StartsWith('-') && !rootOption ? ["run", .. args] : args;
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(r.Command.Name);
        return names;
    }
}
