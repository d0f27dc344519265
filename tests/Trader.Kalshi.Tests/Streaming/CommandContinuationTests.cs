using System.Buffers;
using System.Text;
using Trader.Kalshi.Streaming;
using Trader.Kalshi.Tests.Infrastructure;

namespace Trader.Kalshi.Tests.Streaming;

/// <summary>
/// Where code awaiting a command's answer continues: on the thread pool by default, or — for a replay on virtual time —
/// on the receive loop, synchronously, as the answer is read.
/// </summary>
public class CommandContinuationTests
{
    private sealed class SilentConnection : IWebSocketConnection
    {
        public List<string> Sent { get; } = [];
        public string? CloseReason => null;
        public Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
        {
            Sent.Add(Encoding.UTF8.GetString(utf8.Span));
            return Task.CompletedTask;
        }
        public ValueTask<bool> ReceiveAsync(IBufferWriter<byte> buffer, CancellationToken ct) => new(Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => false));
        public Task CloseAsync(CancellationToken ct) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Connector(IWebSocketConnection connection) : IWebSocketConnector
    {
        public Task<IWebSocketConnection> ConnectAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct) => Task.FromResult(connection);
    }

    [Fact]
    public void Without_the_thread_pool_a_subscription_is_confirmed_while_its_answer_is_read()
    {
        // On a thread of its own, like a replay: the test framework's synchronization context would keep any
        // continuation from running inline.
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                SubscribeAndConfirm();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
    }

    private static void SubscribeAndConfirm()
    {
        var connection = new SilentConnection();
        var session = new KalshiStreamSession(new KalshiStreamOptions
        {
            Endpoint = new Uri("ws://127.0.0.1:1/trade-api/ws/v2"),
            Connector = new Connector(connection),
            ContinueCommandsOnThreadPool = false,
        }, new RecordingHandler());
        Assert.True(session.ConnectAsync(CancellationToken.None).IsCompletedSuccessfully);
        var subscribing = session.SubscribeAsync(SubscriptionRequest.OrderBook(["MKT"], false), CancellationToken.None);
        Assert.Contains("\"cmd\":\"subscribe\"", Assert.Single(connection.Sent));
        Assert.False(subscribing.IsCompleted);

        session.Process("""{"type":"subscribed","id":1,"msg":{"channel":"orderbook_delta","sid":7}}"""u8);
        Assert.True(subscribing.IsCompletedSuccessfully); // no hop through the thread pool
        Assert.Equal(7, Assert.Single(subscribing.Result).Sid);
    }

    [Fact]
    public void The_default_is_the_thread_pool() => Assert.True(new KalshiStreamOptions { Endpoint = new Uri("ws://x/trade-api/ws/v2") }.ContinueCommandsOnThreadPool);
}
