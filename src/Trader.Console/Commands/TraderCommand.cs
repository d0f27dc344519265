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
        root.Add(KalshiCommands.Create());
        root.Add(SimCommand.Create());
        root.Add(ReplayCommand.Create());
        root.Add(TapeCommands.Create());
        // Until the trader itself lands here (`run`), a bare `trader` shows what there is.
        root.SetAction(result => new System.CommandLine.Help.HelpAction().Invoke(result));
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. Bad arguments print what is wrong (not the whole help) and exit with
    /// <see cref="BadArguments"/>; otherwise the command's own exit code.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var parsed = Create().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await error.WriteLineAsync($"error: {e.Message}");
            string command = parsed.CommandResult.Command is RootCommand ? "trader" : $"trader {string.Join(' ', CommandPath(parsed.CommandResult))}";
            await error.WriteLineAsync($"Run '{command} --help' for usage and examples.");
            return BadArguments;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(r.Command.Name);
        return names;
    }
}
