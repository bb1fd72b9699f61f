namespace CclAgent.Watch.Parsing;

/// <summary>Where a <c>key: value</c> pair sits in a line (offsets, so no strings are allocated while scanning).</summary>
public readonly record struct KeyValueSpan(int KeyStart, int KeyLength, int ValueStart, int ValueLength);
