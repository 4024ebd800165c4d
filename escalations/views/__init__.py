"""The pages of escalations, by what they are about."""
