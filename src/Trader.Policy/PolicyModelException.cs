namespace Trader.Policy;

/// <summary>
/// A policy model cannot be used: the file is missing or corrupt, its inputs/outputs do not have the expected shapes
/// or types, or (for the Stable-Baselines3 converter) its architecture cannot be converted. The message names the
/// file and what was expected and found.
/// </summary>
public sealed class PolicyModelException : Exception
{
    public PolicyModelException(string message)
        : base(message)
    {
    }

    public PolicyModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
