using System.Text.Json;
using System.Text.Json.Serialization;

namespace CclAgent.Core.Failures;

/// <summary>Writes a <see cref="FailureClass"/> as its one-string spelling and reads it back.</summary>
public sealed class FailureClassJsonConverter : JsonConverter<FailureClass>
{
    public override FailureClass Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? FailureClass.Parse(reader.GetString()!) : throw new JsonException("a failure class is a string");

    public override void Write(Utf8JsonWriter writer, FailureClass value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
