namespace CclAgent.Watch.Following;

/// <summary>What the follower noticed about the file at the watched path.</summary>
public enum FileChange
{
    /// <summary>Nothing new.</summary>
    None,

    /// <summary>The file was opened for the first time (it may have appeared after watch started).</summary>
    Opened,

    /// <summary>A different file now sits at the path (renamed away and recreated): the old one was read to its end first.</summary>
    Rotated,

    /// <summary>The file shrank below what was read (copytruncate, or rewritten in place): reading restarts at its beginning.</summary>
    Truncated,
}
