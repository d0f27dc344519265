using Serilog;
using Serilog.Core;
using Serilog.Events;
using System.Text.Json;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Trader.Console.Run;

/// <summary>
/// The trader's Serilog logger: one line per event on stdout, as readable text or as compact JSON
/// (<c>trader.logging.format = json</c>, for log collectors under systemd or Kubernetes). Akka's logs arrive through
/// Microsoft.Extensions.Logging with the actor's path (<c>ActorPath</c>, <c>LogSource</c>) and, where an actor logs
/// about a market, <c>Market</c> as properties; the status log's entries are logged as they are written.
/// </summary>
public static class TraderLogging
{
    /// <summary>The text format: time, level, message; the source's short name when it is not the trader's own.</summary>
    public const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:l}{NewLine}{Exception}";

    public static Logger CreateLogger(LoggingSettings settings, TextWriter output)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(settings.Level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        config = settings.Format == LogFormat.Json
            ? config.WriteTo.Sink(new FlushingTextSink(new JsonLineFormatter(), output))
            : config.WriteTo.Sink(new FlushingTextSink(new MessageTemplateTextFormatter(TextTemplate), output));
        return config.CreateLogger();
    }

    /// <summary>
    /// Serilog's compact JSON (CLEF: <c>@t</c>, <c>@m</c>, <c>@mt</c>, <c>@l</c> unless Information, <c>@x</c>, then the
    /// properties) with the message rendered as a person reads it — strings without quotes, as in the text format —
    /// rather than as Serilog's rendered-compact formatter quotes them.
    /// </summary>
    internal sealed class JsonLineFormatter : ITextFormatter
    {
        private static readonly MessageTemplateTextFormatter Message = new("{Message:l}");

        public void Format(LogEvent logEvent, TextWriter output)
        {
            var message = new StringWriter();
            Message.Format(logEvent, message);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("@t", logEvent.Timestamp.UtcDateTime.ToString("O"));
                json.WriteString("@m", message.ToString());
                json.WriteString("@mt", logEvent.MessageTemplate.Text);
                if (logEvent.Level != LogEventLevel.Information) json.WriteString("@l", logEvent.Level.ToString());
                if (logEvent.Exception is { } exception) json.WriteString("@x", exception.ToString());
                foreach (var (name, value) in logEvent.Properties)
                {
                    if (name.StartsWith('@')) continue;
                    json.WritePropertyName(name);
                    WriteValue(json, value);
                }
                json.WriteEndObject();
            }
            output.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            output.Write('\n');
        }

        private static void WriteValue(Utf8JsonWriter json, LogEventPropertyValue value)
        {
            switch (value)
            {
                case ScalarValue { Value: null }:
                    json.WriteNullValue();
                    break;
                case ScalarValue { Value: bool b }:
                    json.WriteBooleanValue(b);
                    break;
                case ScalarValue { Value: int or long or short or byte or uint or ulong or ushort or decimal } s:
                    json.WriteRawValue(Convert.ToString(s.Value, System.Globalization.CultureInfo.InvariantCulture)!);
                    break;
                case ScalarValue { Value: double or float } s:
                    double d = Convert.ToDouble(s.Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (double.IsFinite(d)) json.WriteNumberValue(d);
                    else json.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case ScalarValue { Value: DateTimeOffset t }:
                    json.WriteStringValue(t.UtcDateTime.ToString("O"));
                    break;
                case ScalarValue { Value: DateTime t }:
                    json.WriteStringValue(t.ToString("O"));
                    break;
                case ScalarValue s:
                    json.WriteStringValue(Convert.ToString(s.Value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case SequenceValue seq:
                    json.WriteStartArray();
                    foreach (var element in seq.Elements) WriteValue(json, element);
                    json.WriteEndArray();
                    break;
                case StructureValue structure:
                    json.WriteStartObject();
                    foreach (var p in structure.Properties)
                    {
                        json.WritePropertyName(p.Name);
                        WriteValue(json, p.Value);
                    }
                    json.WriteEndObject();
                    break;
                case DictionaryValue dictionary:
                    json.WriteStartObject();
                    foreach (var (key, element) in dictionary.Elements)
                    {
                        json.WritePropertyName(Convert.ToString(key.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                        WriteValue(json, element);
                    }
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteStringValue(value.ToString());
                    break;
            }
        }
    }

    /// <summary>Writes each event to a writer at once (under a lock), so lines reach a pipe or a journal as they happen.</summary>
    private sealed class FlushingTextSink(Serilog.Formatting.ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        private readonly Lock _gate = new();

        public void Emit(LogEvent logEvent)
        {
            lock (_gate)
            {
                formatter.Format(logEvent, output);
                output.Flush();
            }
        }
    }
}
