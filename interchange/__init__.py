"""The import and export engine: interchange files (CSV, XLSX) in and out, for admin and commands.

It knows no domain model: each domain app declares its files' columns as resources
(InterchangeResource) and registers them (registry), and the engine reads, checks and writes
them. formats reads and writes the files, widgets the cells, problems says what is wrong,
engine/ imports rows in bulk, services and the commands handle whole folders, admin and uploads
the admin's buttons, signals tells the apps that rows were written.
"""
