// placeholder: replaced by the CSV reader
