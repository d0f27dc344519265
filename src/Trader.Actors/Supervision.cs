namespace Trader.Actors;

/// <summary>Sent by a service actor to its parent after it was restarted, so the restart shows in the status log and state is rebuilt.</summary>
public sealed record ChildRestarted(string Child, string Reason);

/// <summary>
/// Makes a service actor throw, to exercise supervision: the fault-injection hook behind the self-recovery tests and
/// an operator's chaos drill. The actor restarts, the coordinator recalibrates, and the trader returns to READY.
/// </summary>
public sealed record InjectFault(string Reason);

/// <summary>The exception an actor throws for <see cref="InjectFault"/>.</summary>
public sealed class InjectedFaultException(string reason) : Exception($"injected fault: {reason}");
