namespace CclAgent.Reporting.Runs;

/// <summary>A run directory, or one of its files, cannot be read; the message is one line naming the file.</summary>
internal sealed class ReportInputException(string message) : Exception(message);
