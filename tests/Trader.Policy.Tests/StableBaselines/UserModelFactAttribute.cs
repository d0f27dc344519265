namespace Trader.Policy.Tests.StableBaselines;

/// <summary>
/// A fact that runs only where the user's Stable-Baselines3 model is available: the file named by the environment
/// variable <c>TRADER_SB3_MODEL</c>, or <c>shared/models/session12_ppo_final.zip</c> beside the repository (or beside
/// any folder above it). The model is not in the repository and must never be committed; elsewhere the test is
/// skipped with the reason.
/// </summary>
public sealed class UserModelFactAttribute : FactAttribute
{
    public const string FileName = "session12_ppo_final.zip";

    public UserModelFactAttribute()
    {
        if (Locate() is null)
            Skip = $"the user's model {FileName} is not here (set TRADER_SB3_MODEL or place it in ../shared/models/); it is never committed";
    }

    public static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("TRADER_SB3_MODEL");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return File.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", FileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The model's path; call only from a test carrying this attribute.</summary>
    public static string ModelPath => Locate() ?? throw new InvalidOperationException("the user's model is not available");
}
