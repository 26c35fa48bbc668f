@_exported import MechanismCommon
