package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// nspOf is the schema of the table an index definition is on
// ("CREATE INDEX i ON app.t USING ..." is app).
func nspOf(def string) string {
	_, rest, _ := strings.Cut(def, " ON ")
	rest = strings.TrimPrefix(rest, "ONLY ")
	name, _, _ := strings.Cut(rest, " ")
	s, _, _ := strings.Cut(name, ".")
	return unquoteIdent(s)
}

// types reads enum, composite, domain and range types. A range type's
// constructor functions and its multirange type are its own (the server
// makes and drops them with it), so they are not objects of their own.
func (in *inspection) types(ctx context.Context, q dialect.Querier) error {
	err := scan(ctx, q, `SELECT t.oid, t.typarray, n.nspname, t.typname, t.typtype,
  CASE t.typtype WHEN 'e' THEN (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
    WHEN 'c' THEN (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                   FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
    WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
    WHEN 'r' THEN 'subtype = ' || format_type(r.rngsubtype, NULL)
      || CASE WHEN NOT oc.opcdefault THEN ', subtype_opclass = ' || quote_ident(oc.opcname) ELSE '' END
      || CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = r.rngsubtype)
           THEN ', collation = ' || r.rngcollation::regcollation::text ELSE '' END
      || CASE WHEN r.rngcanonical <> 0 THEN ', canonical = ' || r.rngcanonical::regproc::text ELSE '' END
      || CASE WHEN r.rngsubdiff <> 0 THEN ', subtype_diff = ' || r.rngsubdiff::regproc::text ELSE '' END
      || ', multirange_type_name = ' || r.rngmultitypid::regtype::text END,
  r.rngmultitypid,
  t.typnotnull, t.typdefault,
  CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
    THEN (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation) END,
  CASE WHEN t.typtype = 'd' THEN (SELECT string_agg('CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), ' ' ORDER BY c.conname)
    FROM pg_constraint c WHERE c.contypid = t.oid) END
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_range r ON r.rngtypid = t.oid LEFT JOIN pg_opclass oc ON oc.oid = r.rngsubopc
WHERE t.typtype IN ('e', 'c', 'd', 'r') AND `+userNamespaces+` AND `+notExtension("pg_type", "t.oid")+`
  AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
ORDER BY t.oid`, func(sc func(...any) error) error {
		var (
			oid, array                 int64
			multirange                 sql.NullInt64
			nsp, name, typ             string
			body, def, collate, checks sql.NullString
			notNull                    bool
		)
		if err := sc(&oid, &array, &nsp, &name, &typ, &body, &multirange, &notNull, &def, &collate, &checks); err != nil {
			return err
		}
		mn := in.d.modelName(nsp, name)
		defer func() {
			o := in.s.Objects[len(in.s.Objects)-1]
			in.byOID[fmt.Sprint("pg_type:", oid)] = o
			if array != 0 {
				in.byOID[fmt.Sprint("pg_type:", array)] = o
			}
			if multirange.Valid {
				in.byOID[fmt.Sprint("pg_type:", multirange.Int64)] = o
			}
		}()
		switch typ {
		case "e":
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "type", Name: mn, Definition: "CREATE TYPE " + identName(mn) + " AS ENUM (" + body.String + ")"})
		case "c":
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "type", Name: mn, Definition: "CREATE TYPE " + identName(mn) + " AS (" + body.String + ")"})
		case "r":
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "type", Name: mn, Definition: "CREATE TYPE " + identName(mn) + " AS RANGE (" + body.String + ")"})
		case "d":
			d := "CREATE DOMAIN " + identName(mn) + " AS " + body.String
			if collate.Valid {
				d += " COLLATE " + collate.String
			}
			if def.Valid {
				d += " DEFAULT " + def.String
			}
			if notNull {
				d += " NOT NULL"
			}
			if checks.Valid {
				d += " " + checks.String
			}
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "domain", Name: mn, Definition: d})
		}
		return nil
	})
	return err
}

// collations reads the collations of user schemas as the CREATE COLLATION
// that makes each (PostgreSQL 15 keeps an ICU collation's locale in
// colliculocale, a libc one's in collcollate and collctype).
func (in *inspection) collations(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT c.oid, n.nspname, c.collname, c.collprovider::text, c.collisdeterministic,
  coalesce(c.collcollate, ''), coalesce(c.collctype, ''), coalesce(c.colliculocale, '')
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE `+userNamespaces+` AND `+notExtension("pg_collation", "c.oid")+`
ORDER BY c.oid`, func(sc func(...any) error) error {
		var (
			oid                       int64
			nsp, name, provider       string
			deterministic             bool
			collate, ctype, icuLocale string
		)
		if err := sc(&oid, &nsp, &name, &provider, &deterministic, &collate, &ctype, &icuLocale); err != nil {
			return err
		}
		mn := in.d.modelName(nsp, name)
		var opts []string
		switch provider {
		case "i":
			opts = append(opts, "provider = icu", "locale = "+quoteString(icuLocale))
		default:
			if collate == ctype {
				opts = append(opts, "provider = libc", "locale = "+quoteString(collate))
			} else {
				opts = append(opts, "provider = libc", "lc_collate = "+quoteString(collate), "lc_ctype = "+quoteString(ctype))
			}
		}
		if !deterministic {
			opts = append(opts, "deterministic = false")
		}
		o := &schema.Object{Kind: "collation", Name: mn, Definition: "CREATE COLLATION " + identName(mn) + " (" + strings.Join(opts, ", ") + ")"}
		in.s.Objects = append(in.s.Objects, o)
		in.byOID[fmt.Sprint("pg_collation:", oid)] = o
		return nil
	})
}

func (in *inspection) extensions(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' ORDER BY e.extname`, func(sc func(...any) error) error {
		var name, nsp string
		if err := sc(&name, &nsp); err != nil {
			return err
		}
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "extension", Name: name,
			Definition: "CREATE EXTENSION IF NOT EXISTS " + identText(name) + " WITH SCHEMA " + identText(nsp)})
		return nil
	})
}

// functions reads functions and procedures with pg_get_functiondef; their
// names carry the argument types that tell overloads apart.
func (in *inspection) functions(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT p.oid, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind, pg_get_functiondef(p.oid)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p') AND `+userNamespaces+` AND `+notExtension("pg_proc", "p.oid")+`
  AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i')
ORDER BY p.oid`, func(sc func(...any) error) error {
		var oid int64
		var nsp, name, args, kind, def string
		if err := sc(&oid, &nsp, &name, &args, &kind, &def); err != nil {
			return err
		}
		k := "function"
		if kind == "p" {
			k = "procedure"
		}
		o := &schema.Object{Kind: k, Name: in.d.modelName(nsp, name) + "(" + args + ")", Definition: strings.TrimSpace(def)}
		in.s.Objects = append(in.s.Objects, o)
		in.byOID[fmt.Sprint("pg_proc:", oid)] = o
		return nil
	})
}

// triggers reads triggers and row-level security: policies and the tables
// that enable it.
func (in *inspection) triggers(ctx context.Context, q dialect.Querier) error {
	err := scan(ctx, q, `SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND `+userNamespaces+` AND t.tgparentid = 0
ORDER BY t.tgrelid, t.tgname`, func(sc func(...any) error) error {
		var rel int64
		var name, def string
		if err := sc(&rel, &name, &def); err != nil {
			return err
		}
		if in.names[rel] == "" {
			return nil
		}
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "trigger", Name: name + " on " + in.names[rel], Definition: def})
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(ctx, q, `SELECT c.oid, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity) AND `+userNamespaces+` ORDER BY c.oid`, func(sc func(...any) error) error {
		var rel int64
		var on, force bool
		if err := sc(&rel, &on, &force); err != nil {
			return err
		}
		if in.names[rel] == "" {
			return nil
		}
		t := identName(in.names[rel])
		var def []string
		if on {
			def = append(def, "ALTER TABLE "+t+" ENABLE ROW LEVEL SECURITY")
		}
		if force {
			def = append(def, "ALTER TABLE "+t+" FORCE ROW LEVEL SECURITY")
		}
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "row_security", Name: in.names[rel], Definition: strings.Join(def, ";\n")})
		return nil
	})
	if err != nil {
		return err
	}
	return scan(ctx, q, `SELECT p.polrelid, p.polname, p.polpermissive, p.polcmd,
  COALESCE((SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ' ORDER BY 1)
            FROM unnest(p.polroles) r), 'PUBLIC'),
  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_policy p ORDER BY p.polrelid, p.polname`, func(sc func(...any) error) error {
		var rel int64
		var name, cmd, roles string
		var permissive bool
		var using, check sql.NullString
		if err := sc(&rel, &name, &permissive, &cmd, &roles, &using, &check); err != nil {
			return err
		}
		if in.names[rel] == "" {
			return nil
		}
		def := "CREATE POLICY " + identText(name) + " ON " + identName(in.names[rel])
		if !permissive {
			def += " AS RESTRICTIVE"
		}
		def += " FOR " + map[string]string{"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "*": "ALL"}[cmd]
		def += " TO " + roles
		if using.Valid {
			def += " USING (" + using.String + ")"
		}
		if check.Valid {
			def += " WITH CHECK (" + check.String + ")"
		}
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "policy", Name: name + " on " + in.names[rel], Definition: def})
		return nil
	})
}

// firstNormalOID is PostgreSQL's FirstNormalObjectId: initdb's objects
// (thousands of them with comments: built-in functions, types, operators)
// have lower OIDs; everything a user or an extension creates, higher ones.
// Only the schemas initdb makes (public) can carry a user's comment below it.
const firstNormalOID = "16384"

// comments reads tables' comments into their models, and the comments of
// other objects (views, schemas, types, functions, constraints, ...) as
// comment objects: COMMENT ON statements.
func (in *inspection) comments(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT d.classoid::regclass::text, d.objoid, d.description,
  CASE d.classoid
    WHEN 'pg_class'::regclass THEN (SELECT c.relkind::text FROM pg_class c WHERE c.oid = d.objoid)
    WHEN 'pg_namespace'::regclass THEN (SELECT 'SCHEMA ' || quote_ident(n.nspname) FROM pg_namespace n WHERE n.oid = d.objoid AND `+userNamespaces+`
      AND NOT (n.nspname = 'public' AND d.description = 'standard public schema'))
    WHEN 'pg_type'::regclass THEN (SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = d.objoid AND `+userNamespaces+`)
    WHEN 'pg_proc'::regclass THEN (SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
      || '(' || pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = d.objoid AND `+userNamespaces+`)
    WHEN 'pg_constraint'::regclass THEN (SELECT 'CONSTRAINT ' || quote_ident(co.conname) || ' ON ' ||
      CASE WHEN co.contypid <> 0 THEN 'DOMAIN ' || co.contypid::regtype::text ELSE co.conrelid::regclass::text END
      FROM pg_constraint co WHERE co.oid = d.objoid)
    WHEN 'pg_trigger'::regclass THEN (SELECT 'TRIGGER ' || quote_ident(t.tgname) || ' ON ' || t.tgrelid::regclass::text FROM pg_trigger t WHERE t.oid = d.objoid)
    WHEN 'pg_policy'::regclass THEN (SELECT 'POLICY ' || quote_ident(p.polname) || ' ON ' || p.polrelid::regclass::text FROM pg_policy p WHERE p.oid = d.objoid)
    WHEN 'pg_collation'::regclass THEN (SELECT 'COLLATION ' || quote_ident(n.nspname) || '.' || quote_ident(c.collname)
      FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE c.oid = d.objoid AND `+userNamespaces+`)
    WHEN 'pg_extension'::regclass THEN (SELECT 'EXTENSION ' || quote_ident(e.extname) FROM pg_extension e WHERE e.oid = d.objoid)
  END
FROM pg_description d WHERE d.objsubid = 0
  AND (d.objoid >= `+firstNormalOID+` OR d.classoid = 'pg_namespace'::regclass)
  AND d.classoid IN ('pg_class'::regclass, 'pg_namespace'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass,
    'pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_extension'::regclass, 'pg_collation'::regclass)
ORDER BY 1, 2`, func(sc func(...any) error) error {
		var cat, text string
		var oid int64
		var target sql.NullString
		if err := sc(&cat, &oid, &text, &target); err != nil {
			return err
		}
		if !target.Valid {
			return nil
		}
		on := target.String
		if cat == "pg_class" {
			switch on {
			case "r", "p":
				if it := in.tables[oid]; it != nil {
					it.t.Options.Comment = text
				}
				return nil
			case "v":
				on = "VIEW "
			case "m":
				on = "MATERIALIZED VIEW "
			case "S":
				on = "SEQUENCE "
			default:
				return nil // indexes are read with them
			}
			if in.names[oid] == "" {
				return nil
			}
			on += identName(in.d.qualified(in.names[oid]))
		}
		if strings.HasPrefix(on, "EXTENSION ") && strings.TrimPrefix(on, "EXTENSION ") == "plpgsql" {
			return nil
		}
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "comment", Name: on, Definition: "COMMENT ON " + on + " IS " + quoteString(text)})
		return nil
	})
}

// objectDeps fills the DependsOn of types, domains and functions with the
// types and functions they use (a domain's check calls a function, a
// function takes an enum), so that they are created in that order.
func (in *inspection) objectDeps(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT CASE WHEN co.contypid IS NOT NULL AND co.contypid <> 0 THEN 'pg_type:' || co.contypid
    ELSE d.classid::regclass::text || ':' || d.objid END,
  d.refclassid::regclass::text || ':' || d.refobjid
FROM pg_depend d LEFT JOIN pg_constraint co ON d.classid = 'pg_constraint'::regclass AND co.oid = d.objid
WHERE d.deptype = 'n' AND d.refclassid IN ('pg_type'::regclass, 'pg_proc'::regclass)
  AND d.classid IN ('pg_type'::regclass, 'pg_proc'::regclass, 'pg_constraint'::regclass)
ORDER BY 1, 2`, func(sc func(...any) error) error {
		var from, to string
		if err := sc(&from, &to); err != nil {
			return err
		}
		o, ref := in.byOID[from], in.byOID[to]
		if o == nil || ref == nil || o == ref {
			return nil
		}
		for _, k := range o.DependsOn {
			if k == ref.Key() {
				return nil
			}
		}
		o.DependsOn = append(o.DependsOn, ref.Key())
		return nil
	})
}
