"""Files in, validated tables out: the survey schema, readers, the mapping, PAPI, personal-data rules."""
