using Trader.Console.Commands;

namespace Trader.Console.Tests;

/// <summary>Runs a <c>trader</c> command line in process and collects its exit code, output and errors.</summary>
internal static class Cli
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TraderCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
