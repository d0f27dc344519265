using Trader.Console.Commands;

// The `trader` command. Each verb group is built in its own file under Commands/.
return await TraderCommand.RunAsync(args, Console.Out, Console.Error);
