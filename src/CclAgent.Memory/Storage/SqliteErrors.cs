namespace CclAgent.Memory.Storage;

/// <summary>The SQLite result codes memory reacts to (https://sqlite.org/rescode.html).</summary>
internal static class SqliteErrors
{
    public const int Corrupt = 11;
    public const int NotADatabase = 26;
    public const int ConstraintUnique = 2067;
    public const int ConstraintForeignKey = 787;
}
