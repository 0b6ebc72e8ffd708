"""Opening inputs: PDF, images, text exports (legacy encodings converted), text layers
and digital signatures. Imports only pipeline.core."""
