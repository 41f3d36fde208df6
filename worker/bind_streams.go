package worker

import "github.com/grafana/sobek"

// transferBuffer is host.transferBuffer(buffer), the Streams standard's
// TransferArrayBuffer: a new ArrayBuffer over buffer's bytes (not
// copied), buffer detached. It is null when buffer is not an ArrayBuffer
// or is detached already.
func (in *instance) transferBuffer(v sobek.Value) sobek.Value {
	ab, ok := v.Export().(sobek.ArrayBuffer)
	if !ok || ab.Detached() {
		return sobek.Null()
	}
	b := ab.Bytes()
	ab.Detach()
	return in.rt.ToValue(in.rt.NewArrayBuffer(b))
}

// bufferDetached is host.bufferDetached(buffer): whether buffer is a
// detached ArrayBuffer (IsDetachedBuffer).
func bufferDetached(v sobek.Value) bool {
	ab, ok := v.Export().(sobek.ArrayBuffer)
	return ok && ab.Detached()
}
