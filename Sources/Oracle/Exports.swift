@_exported import PropertyEngine
