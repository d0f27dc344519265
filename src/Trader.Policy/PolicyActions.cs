namespace Trader.Policy;

/// <summary>The kind of an action, whatever its size (original-system.md §10.1).</summary>
public enum ActionKind
{
    Hold = 0,
    BuyYes = 1,
    SellYes = 2,
    BuyNo = 3,
    SellNo = 4,
}

/// <summary>
/// The policy's action indices (original-system.md §10.1, <c>limit_order_action_space.py</c>): the 5-action space
/// 0 HOLD, 1 BUY_YES, 2 SELL_YES, 3 BUY_NO, 4 SELL_NO, and the sized variant with <c>1 + 4 × sizes</c> actions where
/// index 0 is HOLD and index a ≥ 1 is kind <c>(a − 1) / sizes + 1</c> at size index <c>(a − 1) % sizes</c>
/// (21 actions for the five sizes [5, 10, 20, 50, 100]). Only 5 and 21 are supported: those are the action spaces
/// the trader can turn into orders.
/// </summary>
public static class PolicyActions
{
    public const int Hold = 0, BuyYes = 1, SellYes = 2, BuyNo = 3, SellNo = 4;

    /// <summary>The plain action space: one size.</summary>
    public const int SimpleCount = 5;

    /// <summary>The sized action space: five sizes per kind.</summary>
    public const int SizedCount = 21;

    /// <summary>Sizes per kind in the sized action space.</summary>
    public const int SizesPerKind = 5;

    /// <summary>True for the action-space sizes the trader supports (5 or 21).</summary>
    public static bool IsSupportedCount(int actionCount) => actionCount is SimpleCount or SizedCount;

    /// <summary>Throws a clear error unless <paramref name="actionCount"/> is 5 or 21.</summary>
    public static void ValidateCount(int actionCount, string what)
    {
        if (!IsSupportedCount(actionCount))
        {
            throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount,
                $"{what}: an action space of {actionCount} actions is not supported; expected {SimpleCount} (hold, buy/sell YES, buy/sell NO) or {SizedCount} (the same with five sizes)");
        }
    }

    /// <summary>The kind of action <paramref name="action"/> in a space of <paramref name="actionCount"/> actions.</summary>
    public static ActionKind KindOf(int action, int actionCount)
    {
        CheckIndex(action, actionCount);
        if (action == Hold) return ActionKind.Hold;
        int sizes = SizesFor(actionCount);
        return (ActionKind)((action - 1) / sizes + 1);
    }

    /// <summary>The size index of <paramref name="action"/> (always 0 in the 5-action space and for HOLD).</summary>
    public static int SizeIndexOf(int action, int actionCount)
    {
        CheckIndex(action, actionCount);
        if (action == Hold) return 0;
        return (action - 1) % SizesFor(actionCount);
    }

    /// <summary>The index of a kind at a size index in a space of <paramref name="actionCount"/> actions.</summary>
    public static int IndexOf(ActionKind kind, int sizeIndex, int actionCount)
    {
        ValidateCount(actionCount, "action index");
        if (kind == ActionKind.Hold) return Hold;
        int sizes = SizesFor(actionCount);
        if ((uint)sizeIndex >= (uint)sizes)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeIndex), sizeIndex,
                $"size index must be in [0, {sizes - 1}] for an action space of {actionCount} actions");
        }
        return 1 + ((int)kind - 1) * sizes + sizeIndex;
    }

    /// <summary>HOLD, BUY_YES, … (with the size index in the sized space, e.g. <c>BUY_NO#2</c>).</summary>
    public static string NameOf(int action, int actionCount)
    {
        var kind = KindOf(action, actionCount) switch
        {
            ActionKind.Hold => "HOLD",
            ActionKind.BuyYes => "BUY_YES",
            ActionKind.SellYes => "SELL_YES",
            ActionKind.BuyNo => "BUY_NO",
            _ => "SELL_NO",
        };
        return actionCount == SimpleCount || action == Hold ? kind : $"{kind}#{SizeIndexOf(action, actionCount)}";
    }

    private static int SizesFor(int actionCount) => actionCount == SimpleCount ? 1 : SizesPerKind;

    private static void CheckIndex(int action, int actionCount)
    {
        ValidateCount(actionCount, "action index");
        if ((uint)action >= (uint)actionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action,
                $"action index must be in [0, {actionCount - 1}]");
        }
    }
}
