using System.Runtime.InteropServices;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Ordinal equality for line templates, looked up by span, with a fast non-randomised hash over eight bytes at a time:
/// the default randomised string hash costs as much as the rest of the lookup, and templates come from a log, not from
/// an adversary who could aim collisions at the cache (a collision only costs a comparison).
/// </summary>
internal sealed class TemplateComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    public static TemplateComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();

    private static int Hash(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<char, ulong>(text);
        ulong hash = 14695981039346656037UL ^ (ulong)text.Length;
        foreach (ulong word in words)
        {
            hash = (System.Numerics.BitOperations.RotateLeft(hash ^ word, 29) * 0x9E3779B97F4A7C15UL) + 0x632BE59BD9B4E019UL;
        }

        foreach (char c in text[(words.Length * 4)..])
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (int)(hash ^ (hash >> 32));
    }
}
