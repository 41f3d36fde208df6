package structuredclone

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/grafana/sobek"
)

// Deserialize is the HTML standard's StructuredDeserializeWithTransfer: it
// rebuilds rec's value in rt and returns it with the transferred objects,
// in transfer-list order, as they now exist in rt. It must run on rt's
// goroutine; different runtimes may deserialize one record concurrently
// when it has no transferred objects.
//
// Deserialize makes a new [Realm] for every call, which captures again the
// intrinsics the value needs; keep a Realm and use [Realm.Deserialize] to
// deserialize more than once per runtime.
func Deserialize(rt *sobek.Runtime, rec *Record, hooks Hooks) (sobek.Value, []sobek.Value, error) {
	r, err := NewRealm(rt)
	if err != nil {
		return nil, nil, err
	}
	return r.Deserialize(rec, hooks)
}

// Deserialize is [Deserialize] with r's intrinsics.
func (r *Realm) Deserialize(rec *Record, hooks Hooks) (v sobek.Value, transferred []sobek.Value, err error) {
	if rec == nil {
		return nil, nil, cloneErr("a nil record")
	}
	defer func() {
		if x := recover(); x != nil {
			ex, ok := x.(*sobek.Exception)
			if !ok {
				panic(x)
			}
			v, transferred, err = nil, nil, ex
		}
	}()
	d := deserializer{r: r, rt: r.rt, rec: rec, hooks: &hooks}
	if len(rec.objects) > 0 {
		d.made = make([]*sobek.Object, len(rec.objects))
	}
	if len(rec.transfers) > 0 {
		if !rec.received.CompareAndSwap(false, true) {
			return nil, nil, cloneErr("a record whose transferred objects were already received")
		}
		transferred = make([]sobek.Value, 0, len(rec.transfers))
		for i, idx := range rec.transfers {
			o, err := d.receive(idx)
			if err != nil {
				return nil, nil, fmt.Errorf("transferred object %d: %w", i, err)
			}
			transferred = append(transferred, o)
		}
	}
	v, err = d.value(rec.root)
	if err != nil {
		return nil, nil, err
	}
	return v, transferred, nil
}

type deserializer struct {
	r     *Realm
	rt    *sobek.Runtime
	rec   *Record
	hooks *Hooks
	made  []*sobek.Object // the standard's memory: object index → object made
	depth int
}

// receive makes a transferred object in the new realm.
func (d *deserializer) receive(idx int32) (sobek.Value, error) {
	ob := &d.rec.objects[idx]
	switch ob.kind {
	case objTransferredBuffer:
		o := d.rt.ToValue(d.rt.NewArrayBuffer(ob.bytes)).(*sobek.Object)
		ob.bytes = nil // moved to the new realm
		d.made[idx] = o
		return o, nil
	case objTransferredHost:
		if d.hooks.ReceiveTransfer == nil {
			return nil, cloneErr("a transferred host object without a ReceiveTransfer hook")
		}
		v, err := d.hooks.ReceiveTransfer(d.rt, ob.host)
		if err != nil {
			return nil, err
		}
		if o, ok := v.(*sobek.Object); ok {
			d.made[idx] = o
			return o, nil
		}
		return nil, cloneErr(fmt.Sprintf("a transferred host object the host rebuilt as %s", describe(v)))
	}
	return nil, cloneErr("a corrupt record")
}

// wraps reports whether a primitive wrapper object of kind k may hold a
// primitive of slot kind p (a Boolean object a boolean, and so on).
func wraps(k objectKind, p slotKind) bool {
	switch k {
	case objBoolean:
		return p == slotFalse || p == slotTrue
	case objNumber:
		return p == slotNumber
	case objString:
		return p == slotString || p == slotUTF16
	case objBigInt:
		return p == slotBigInt
	}
	return false
}

func (d *deserializer) value(s slot) (sobek.Value, error) {
	switch s.kind {
	case slotUndefined:
		return sobek.Undefined(), nil
	case slotNull:
		return sobek.Null(), nil
	case slotFalse:
		return d.rt.ToValue(false), nil
	case slotTrue:
		return d.rt.ToValue(true), nil
	case slotNumber:
		return d.rt.ToValue(s.num), nil
	case slotBigInt:
		return d.rt.ToValue(new(big.Int).Set(d.rec.bigints[s.ref])), nil
	case slotString:
		return d.rt.ToValue(s.str), nil
	case slotUTF16:
		return sobek.StringFromUTF16(d.rec.utf16[s.ref]), nil
	case slotObject:
		return d.object(s.ref)
	}
	return nil, cloneErr("a corrupt record")
}

func (d *deserializer) object(idx int32) (sobek.Value, error) {
	if o := d.made[idx]; o != nil {
		return o, nil
	}
	if d.depth >= MaxDepth {
		return nil, cloneErr(fmt.Sprintf("a value nested more than %d deep", MaxDepth))
	}
	d.depth++
	defer func() { d.depth-- }()

	ob := &d.rec.objects[idx]
	rt := d.rt
	if g := kindGroup(ob.kind); g != numGroups {
		if err := d.r.need(g); err != nil {
			return nil, err
		}
	}
	var (
		o   *sobek.Object
		err error
	)
	switch ob.kind {
	case objPlain:
		o = rt.NewObject()
		d.made[idx] = o
		return o, d.defineProps(o, ob.props)
	case objArray:
		if int(ob.length) == len(ob.props) && dense(ob.props) && primitives(ob.props) {
			// No element can refer back to the array: build it at once.
			items := make([]any, len(ob.props))
			for i, p := range ob.props {
				v, err := d.value(p.val)
				if err != nil {
					return nil, err
				}
				items[i] = v
			}
			o = rt.NewArray(items...)
			d.made[idx] = o
			return o, nil
		}
		o = rt.NewArray()
		d.made[idx] = o
		if int(ob.length) != len(ob.props) || !dense(ob.props) {
			if err := o.Set("length", ob.length); err != nil {
				return nil, err
			}
		}
		return o, d.defineProps(o, ob.props)
	case objBoolean, objNumber, objString, objBigInt:
		if !wraps(ob.kind, ob.prim.kind) {
			return nil, cloneErr("a corrupt record") // a stored record is untrusted data
		}
		pv, err := d.value(ob.prim)
		if err != nil {
			return nil, err
		}
		o = pv.ToObject(rt)
	case objDate:
		o, err = rt.New(d.r.dateCtor, rt.ToValue(ob.num))
	case objRegExp:
		o, err = rt.New(d.r.regexpCtor, rt.ToValue(ob.s1), rt.ToValue(ob.s2))
	case objError:
		ctor := d.r.errorCtors[max(0, slices.Index(errorNames[:], ob.s1))]
		args := []sobek.Value{}
		if ob.hasMessage {
			msg, merr := d.value(ob.prim)
			if merr != nil {
				return nil, merr
			}
			args = append(args, msg)
		}
		o, err = rt.New(ctor, args...)
	case objMap, objSet:
		return d.collection(idx, ob)
	case objArrayBuffer:
		o = rt.ToValue(rt.NewArrayBuffer(slices.Clone(ob.bytes))).(*sobek.Object)
	case objTypedArray, objDataView:
		buf, err := d.object(ob.view.buffer)
		if err != nil {
			return nil, err
		}
		ctor := d.r.dataViewCtor
		if ob.kind == objTypedArray {
			if ob.view.ctor < 0 || int(ob.view.ctor) >= len(d.r.typedArrayCtors) {
				return nil, cloneErr("a corrupt record")
			}
			ctor = d.r.typedArrayCtors[ob.view.ctor]
		}
		o, err = rt.New(ctor, buf, rt.ToValue(ob.view.byteOffset), rt.ToValue(ob.view.length))
		if err != nil {
			return nil, err
		}
	case objHost:
		if d.hooks.DeserializeHost == nil {
			return nil, cloneErr("a host object without a DeserializeHost hook")
		}
		v, err := d.hooks.DeserializeHost(rt, ob.host)
		if err != nil {
			return nil, err
		}
		if ho, ok := v.(*sobek.Object); ok {
			d.made[idx] = ho
		}
		return v, nil
	default:
		return nil, cloneErr("a corrupt record")
	}
	if err != nil {
		return nil, err
	}
	d.made[idx] = o
	return o, nil
}

// primitives reports whether no prop holds an object.
func primitives(props []prop) bool {
	for _, p := range props {
		if p.val.kind == slotObject {
			return false
		}
	}
	return true
}

// dense reports whether props are exactly the indexes 0..len-1 in order.
func dense(props []prop) bool {
	for i, p := range props {
		if p.key != indexKey(i) {
			return false
		}
	}
	return true
}

var smallIndexes = func() (keys [64]string) {
	for i := range keys {
		keys[i] = fmt.Sprint(i)
	}
	return keys
}()

func indexKey(i int) string {
	if i < len(smallIndexes) {
		return smallIndexes[i]
	}
	return fmt.Sprint(i)
}

// defineProps is CreateDataProperty for each serialized property.
func (d *deserializer) defineProps(o *sobek.Object, props []prop) error {
	for _, p := range props {
		v, err := d.value(p.val)
		if err != nil {
			return err
		}
		if p.key16 != nil {
			if err := d.r.need(groupCore); err != nil {
				return err
			}
			if _, err := d.r.defineProp(sobek.Undefined(), o, sobek.StringFromUTF16(p.key16), v); err != nil {
				return err
			}
			continue
		}
		if err := o.DefineDataProperty(p.key, v, sobek.FLAG_TRUE, sobek.FLAG_TRUE, sobek.FLAG_TRUE); err != nil {
			return err
		}
	}
	return nil
}

func (d *deserializer) collection(idx int32, ob *object) (sobek.Value, error) {
	ctor, add := d.r.mapCtor, d.r.mapSet
	step := 2
	if ob.kind == objSet {
		ctor, add, step = d.r.setCtor, d.r.setAdd, 1
	}
	o, err := d.rt.New(ctor)
	if err != nil {
		return nil, err
	}
	d.made[idx] = o
	for i := 0; i+step <= len(ob.items); i += step {
		k, err := d.value(ob.items[i])
		if err != nil {
			return nil, err
		}
		args := []sobek.Value{k}
		if step == 2 {
			v, err := d.value(ob.items[i+1])
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		if _, err := add(o, args...); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// kindGroup returns the intrinsics group a kind of object needs to be
// made, or numGroups for none.
func kindGroup(k objectKind) group {
	switch k {
	case objDate:
		return groupDate
	case objRegExp:
		return groupRegExp
	case objError:
		return groupErrors
	case objMap:
		return groupMap
	case objSet:
		return groupSet
	case objTypedArray, objDataView:
		return groupViews
	}
	return numGroups
}

// Clone is the standard's structuredClone(value, {transfer}): it
// serializes v and deserializes it again in the same realm. Transferred
// ArrayBuffers are detached in place and the clone holds their bytes.
func (r *Realm) Clone(v sobek.Value, transfer []sobek.Value, hooks Hooks) (sobek.Value, error) {
	rec, err := r.Serialize(v, transfer, hooks)
	if err != nil {
		return nil, err
	}
	out, _, err := r.Deserialize(rec, hooks)
	return out, err
}
