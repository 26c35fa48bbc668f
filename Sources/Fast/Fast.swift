/// The Double mirror of the Reference. Filled by the Fast issue.
public enum FastLayer {}
